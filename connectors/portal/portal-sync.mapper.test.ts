import { DOSSIER_STATUSES, DOSSIER_STATUS_NAMES } from '../../domain/dossier/dossier-status';
import { InvalidInputError } from '../../domain/errors';
import { loadCatalogue } from './simulator/portal-catalogue';
import { validateDossierRecord, validateProgressEntry } from './simulator/portal-validation';
import { DEFAULT_CHANNEL_CODES, portalStatusOf, readDossierEvent, toPortalDossier, toPortalProgress } from './portal-sync.mapper';

const CODE = '000.00.01.H46-251002-0001';

/** The data of a `dossier.received` event as DossierService writes it. */
function received(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    code: CODE,
    action: 'RECEIVE',
    procedureCode: '1.001193',
    agencyCode: '000.00.01.H46',
    currentAgencyCode: '000.00.01.H46',
    channel: 'DESK',
    applicantKind: 'CITIZEN',
    fromStatus: null,
    status: 'RECEIVED',
    nationalStatusCode: 2,
    receivedAt: '2025-10-02T02:15:00.000Z',
    dueAt: '2025-10-02T09:30:00.000Z',
    at: '2025-10-02T02:15:00.000Z',
    registerNumber: 12,
    reused: 1,
    papers: 2,
    ...overrides,
  };
}

const EXTRAS = { applicantName: 'Nguyễn Thị Thu Hằng', fieldCode: 'HO_TICH' };

describe('toPortalDossier', () => {
  it('maps a dossier received at a desk', () => {
    expect(toPortalDossier(received(), EXTRAS)).toEqual({
      MaHoSo: CODE,
      MaTTHC: '1.001193',
      MaLinhVuc: 'HO_TICH',
      MaDonVi: '000.00.01.H46',
      ChuHoSo: 'Nguyễn Thị Thu Hằng',
      LoaiDoiTuong: 1,
      NgayTiepNhan: '20251002091500',
      NgayHenTra: '20251002163000',
      NgayTra: null,
      HinhThuc: 1,
      TrangThaiHoSo: 2,
      TaiLieuNop: [],
      DanhSachLePhi: [],
      DanhSachHoSoBoSung: [],
      DanhSachGiayToKetQua: [],
    });
  });

  it.each(DOSSIER_STATUS_NAMES)('sends status %s as its national code', (status) => {
    const data = received({ status, nationalStatusCode: DOSSIER_STATUSES[status].nationalCode });
    expect(toPortalDossier(data, EXTRAS).TrangThaiHoSo).toBe(DOSSIER_STATUSES[status].nationalCode);
    expect(portalStatusOf(status)).toBe(DOSSIER_STATUSES[status].nationalCode);
  });

  it('covers the national codes 1–10 once each', () => {
    expect(DOSSIER_STATUS_NAMES.map(portalStatusOf).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it.each([
    ['DESK', 1],
    ['ONLINE', 2],
    ['POST', 3],
  ])('sends channel %s as HinhThuc %d', (channel, code) => {
    expect(toPortalDossier(received({ channel }), EXTRAS).HinhThuc).toBe(code);
    expect(DEFAULT_CHANNEL_CODES[channel as 'DESK']).toBe(code);
  });

  it('takes other channel and applicant-kind codes from the options', () => {
    const record = toPortalDossier(received({ channel: 'POST', applicantKind: 'BUSINESS' }), EXTRAS, {
      channelCodes: { POST: 1 },
      applicantKindCodes: { BUSINESS: 1 },
    });
    expect(record).toMatchObject({ HinhThuc: 1, LoaiDoiTuong: 1 });
  });

  it('sends a business applicant as LoaiDoiTuong 2', () => {
    expect(toPortalDossier(received({ applicantKind: 'BUSINESS' }), EXTRAS).LoaiDoiTuong).toBe(2);
  });

  it('writes Vietnam wall-clock time, across the UTC day boundary', () => {
    const record = toPortalDossier(received({ receivedAt: '2025-12-31T17:30:05.000Z', dueAt: '2026-01-02T09:30:00Z' }), EXTRAS);
    expect(record.NgayTiepNhan).toBe('20260101003005');
    expect(record.NgayHenTra).toBe('20260102163000');
  });

  it('leaves NgayHenTra empty for an online registration not yet accepted', () => {
    const record = toPortalDossier(
      received({ channel: 'ONLINE', status: 'REGISTERED_ONLINE', nationalStatusCode: 1, dueAt: null }),
      EXTRAS,
    );
    expect(record).toMatchObject({ TrangThaiHoSo: 1, HinhThuc: 2, NgayHenTra: null, NgayTra: null });
  });

  it('dates the return with the return event, or the time given', () => {
    const returned = received({ action: 'RETURN_RESULT', status: 'RETURNED', nationalStatusCode: 10, at: '2025-10-02T09:00:00.000Z' });
    expect(toPortalDossier(returned, EXTRAS).NgayTra).toBe('20251002160000');
    expect(toPortalDossier(returned, { ...EXTRAS, returnedAt: new Date('2025-10-02T08:59:00Z') }).NgayTra).toBe('20251002155900');
    // A return time is only sent with status 10.
    expect(toPortalDossier(received(), { ...EXTRAS, returnedAt: '2025-10-02T08:59:00Z' }).NgayTra).toBeNull();
  });

  it('maps the papers, fees, supplement requests and results it is given', () => {
    const record = toPortalDossier(received(), {
      ...EXTRAS,
      papers: [{ code: 'C01', name: 'Giấy chứng sinh', quantity: 1, reused: false }, { name: 'Văn bản ủy quyền' }],
      fees: [{ name: 'Phí cấp bản sao Giấy khai sinh', amountVnd: 8000, paid: true }],
      supplementRequests: [{ requestedAt: '2025-10-02T03:00:00Z', content: 'Bổ sung giấy chứng sinh', suppliedAt: null }],
      results: [{ name: 'Giấy khai sinh', documentCode: 'KQ.G15.000031', digitized: true }, { name: 'Bản sao Giấy khai sinh' }],
    });
    expect(record.TaiLieuNop).toEqual([
      { MaThanhPhan: 'C01', TenTaiLieu: 'Giấy chứng sinh', SoLuong: 1, DuocTaiSuDung: false },
      { TenTaiLieu: 'Văn bản ủy quyền' },
    ]);
    expect(record.DanhSachLePhi).toEqual([{ TenLePhi: 'Phí cấp bản sao Giấy khai sinh', SoTien: 8000, DaThanhToan: true }]);
    expect(record.DanhSachHoSoBoSung).toEqual([
      { NgayYeuCau: '20251002100000', NoiDungYeuCau: 'Bổ sung giấy chứng sinh', NgayBoSung: null },
    ]);
    expect(record.DanhSachGiayToKetQua).toEqual([
      { TenGiayTo: 'Giấy khai sinh', MaGiayToKetQua: 'KQ.G15.000031', DuocSoHoa: true },
      { TenGiayTo: 'Bản sao Giấy khai sinh', MaGiayToKetQua: null },
    ]);
  });

  it('produces records the portal accepts, for every status', () => {
    const catalogue = new Map(loadCatalogue().map((procedure) => [procedure.code, procedure]));
    for (const status of DOSSIER_STATUS_NAMES) {
      const record = toPortalDossier(received({ status, nationalStatusCode: DOSSIER_STATUSES[status].nationalCode }), EXTRAS);
      expect(validateDossierRecord(record, CODE, catalogue)).toEqual({ ok: true, value: record });
    }
  });

  it('lists every missing or malformed event field at once', () => {
    const data = received({ code: undefined, channel: 'FAX', receivedAt: 'yesterday', status: 'LOST' });
    expect(() => toPortalDossier(data, EXTRAS)).toThrow(InvalidInputError);
    const error = (() => {
      try {
        readDossierEvent(data);
      } catch (thrown) {
        return thrown as InvalidInputError;
      }
      return undefined;
    })();
    expect(error?.reason).toBe('PORTAL_SYNC.INVALID_EVENT');
    expect(error?.details?.problems).toEqual([
      '"code" is missing',
      '"channel" must be one of DESK, POST, ONLINE',
      '"status" is not a dossier status',
      '"receivedAt" is not an ISO 8601 time',
    ]);
  });

  it('refuses an event whose national code contradicts its status', () => {
    expect(() => readDossierEvent(received({ nationalStatusCode: 4 }))).toThrow('"nationalStatusCode" 4 does not match status RECEIVED');
  });

  it('needs the applicant name and the field code', () => {
    expect(() => toPortalDossier(received(), { applicantName: ' ', fieldCode: '' })).toThrow(
      /"applicantName" is missing; "fieldCode" is missing/,
    );
  });
});

describe('toPortalProgress', () => {
  it('describes a reception, handled by the agency holding the dossier', () => {
    expect(toPortalProgress(received())).toEqual({
      NguoiXuLy: '000.00.01.H46',
      ThoiDiemXuLy: '20251002091500',
      NoiDungXuLy: 'Tiếp nhận hồ sơ',
      TrangThai: 2,
      NgayKetThucTheoQuyDinh: '20251002163000',
    });
  });

  it('uses the step due time and target of a forward', () => {
    const entry = toPortalProgress(
      received({
        action: 'FORWARD',
        status: 'PROCESSING',
        nationalStatusCode: 4,
        currentAgencyCode: '000.19.35.H46',
        toAgencyCode: '000.19.35.H46',
        stepDueAt: '2025-10-03T09:30:00.000Z',
        at: '2025-10-02T03:00:00.000Z',
      }),
    );
    expect(entry).toEqual({
      NguoiXuLy: '000.19.35.H46',
      ThoiDiemXuLy: '20251002100000',
      NoiDungXuLy: 'Chuyển xử lý đến 000.19.35.H46',
      TrangThai: 4,
      NgayKetThucTheoQuyDinh: '20251003163000',
    });
  });

  it.each([
    [
      { action: 'REJECT', status: 'REFUSED', nationalStatusCode: 3, reason: 'Không thuộc thẩm quyền' },
      'Từ chối tiếp nhận, giải quyết hồ sơ: Không thuộc thẩm quyền',
    ],
    [
      { action: 'UPDATE', status: 'PROCESSING', nationalStatusCode: 4, stepCode: 'S2', result: 'Đã thẩm định' },
      'Hoàn thành bước S2: Đã thẩm định',
    ],
    [
      { action: 'UPDATE', status: 'PROCESSING', nationalStatusCode: 4, newDueAt: '2025-10-09T09:30:00Z', reason: 'Cần xác minh' },
      'Gia hạn thời gian giải quyết: Cần xác minh',
    ],
    [{ action: 'RETURN_RESULT', status: 'RETURNED', nationalStatusCode: 10 }, 'Đã trả kết quả'],
    [{ action: 'SOMETHING_NEW', status: 'PROCESSING', nationalStatusCode: 4 }, 'SOMETHING_NEW'],
  ])('describes %o', (overrides, description) => {
    expect(toPortalProgress(received(overrides)).NoiDungXuLy).toBe(description);
  });

  it('takes the handler, content and due time it is given', () => {
    const entry = toPortalProgress(received(), { handledBy: 'Trần Văn An', content: 'Đã kiểm tra', dueAt: null });
    expect(entry).toMatchObject({ NguoiXuLy: 'Trần Văn An', NoiDungXuLy: 'Đã kiểm tra', NgayKetThucTheoQuyDinh: null });
    expect(validateProgressEntry(entry)).toEqual({ ok: true, value: entry });
  });
});
