import { parsePortalTimestamp, type NationalStatusCode } from '../portal.types';
import { loadCatalogue } from './portal-catalogue';
import { isPlausibleTransition, plausibleNextStatuses, validateDossierRecord, validateProgressEntry } from './portal-validation';

const CODE = '000.00.01.H46-251002-0001';
const catalogue = new Map(loadCatalogue().map((procedure) => [procedure.code, procedure]));

function record(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    MaHoSo: CODE,
    MaTTHC: '1.001193',
    MaLinhVuc: 'HO_TICH',
    MaDonVi: '000.00.01.H46',
    ChuHoSo: 'Lê Văn Bình',
    LoaiDoiTuong: 1,
    NgayTiepNhan: '20251002091500',
    NgayHenTra: '20251002163000',
    HinhThuc: 1,
    TrangThaiHoSo: 2,
    ...overrides,
  };
}

const names = (result: ReturnType<typeof validateDossierRecord>) => (result.ok ? [] : result.invalidFields.map((field) => field.name));

describe('plausible status changes', () => {
  it.each([
    [1, 2, true],
    [1, 10, true],
    [2, 4, true],
    [4, 5, true],
    [5, 4, true],
    [6, 4, true],
    [4, 10, true],
    [9, 10, true],
    [4, 4, true],
    [10, 10, true],
    [10, 4, false],
    [9, 4, false],
    [4, 2, false],
    [2, 1, false],
    [3, 4, false],
    [7, 2, false],
    [8, 9, false],
  ] as [NationalStatusCode, NationalStatusCode, boolean][])('%d → %d: %s', (from, to, plausible) => {
    expect(isPlausibleTransition(from, to)).toBe(plausible);
  });

  it('lets final statuses only repeat themselves', () => {
    for (const final of [3, 7, 8, 10] as NationalStatusCode[]) expect(plausibleNextStatuses(final)).toEqual([final]);
    expect(plausibleNextStatuses(9)).toEqual([9, 10]);
    expect(plausibleNextStatuses(2)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('validateDossierRecord', () => {
  it('accepts a complete record and fills in empty lists and dates', () => {
    const result = validateDossierRecord(record(), CODE, catalogue);
    expect(result).toEqual({
      ok: true,
      value: { ...record(), NgayTra: null, TaiLieuNop: [], DanhSachLePhi: [], DanhSachHoSoBoSung: [], DanhSachGiayToKetQua: [] },
    });
  });

  it('lists every wrong field at once, without quoting values', () => {
    const result = validateDossierRecord(
      record({
        MaTTHC: '9.999999',
        ChuHoSo: '',
        LoaiDoiTuong: 3,
        NgayTiepNhan: '20250230091500',
        HinhThuc: 'DESK',
        TrangThaiHoSo: 11,
        Extra: true,
      }),
      CODE,
      catalogue,
    );
    expect(names(result)).toEqual(['Extra', 'MaTTHC', 'ChuHoSo', 'LoaiDoiTuong', 'HinhThuc', 'TrangThaiHoSo', 'NgayTiepNhan']);
    expect(JSON.stringify(result)).not.toContain('9.999999');
  });

  it('requires the fields without defaults', () => {
    expect(names(validateDossierRecord({}, CODE, catalogue))).toEqual([
      'MaHoSo',
      'MaTTHC',
      'MaLinhVuc',
      'MaDonVi',
      'ChuHoSo',
      'LoaiDoiTuong',
      'HinhThuc',
      'TrangThaiHoSo',
      'NgayTiepNhan',
    ]);
    expect(names(validateDossierRecord([], CODE, catalogue))).toEqual(['(body)']);
  });

  it('checks the code against the path and the field against the catalogue', () => {
    expect(names(validateDossierRecord(record(), '000.00.01.H46-251002-0002', catalogue))).toEqual(['MaHoSo']);
    expect(names(validateDossierRecord(record({ MaHoSo: 'not-a-code' }), 'not-a-code', catalogue))).toEqual(['MaHoSo']);
    const wrongField = validateDossierRecord(record({ MaLinhVuc: 'DAT_DAI' }), CODE, catalogue);
    expect(wrongField).toMatchObject({ ok: false, invalidFields: [{ name: 'MaLinhVuc', reason: expect.stringContaining('HO_TICH') }] });
  });

  it('keeps the dates in order and NgayTra for returned dossiers only', () => {
    expect(names(validateDossierRecord(record({ NgayHenTra: '20251001163000' }), CODE, catalogue))).toEqual(['NgayHenTra']);
    expect(names(validateDossierRecord(record({ TrangThaiHoSo: 10 }), CODE, catalogue))).toEqual(['NgayTra']);
    expect(names(validateDossierRecord(record({ TrangThaiHoSo: 10, NgayTra: null }), CODE, catalogue))).toEqual(['NgayTra']);
    expect(names(validateDossierRecord(record({ TrangThaiHoSo: 9, NgayTra: '20251002160000' }), CODE, catalogue))).toEqual(['NgayTra']);
    expect(validateDossierRecord(record({ TrangThaiHoSo: 10, NgayTra: '20251002160000' }), CODE, catalogue).ok).toBe(true);
  });

  it('names wrong fields inside lists by position', () => {
    const result = validateDossierRecord(
      record({
        TaiLieuNop: [{ TenTaiLieu: 'Tờ khai' }, { TenTaiLieu: 'Giấy chứng sinh', SoLuong: 0 }, 'x'],
        DanhSachLePhi: [{ TenLePhi: 'Lệ phí', SoTien: 1.5 }],
        DanhSachHoSoBoSung: [{ NgayYeuCau: '20251003080000', NoiDungYeuCau: 'Bổ sung', NgayBoSung: '20251002080000' }],
        DanhSachGiayToKetQua: [{ TenGiayTo: 'Giấy khai sinh', DuocSoHoa: 'yes', Ma: 1 }],
      }),
      CODE,
      catalogue,
    );
    expect(names(result)).toEqual([
      'TaiLieuNop[1].SoLuong',
      'TaiLieuNop[2]',
      'DanhSachLePhi[0].SoTien',
      'DanhSachHoSoBoSung[0].NgayBoSung',
      'DanhSachGiayToKetQua[0].Ma',
      'DanhSachGiayToKetQua[0].DuocSoHoa',
    ]);
  });
});

describe('validateProgressEntry', () => {
  const entry = {
    NguoiXuLy: '000.00.01.H46',
    ThoiDiemXuLy: '20251002091500',
    NoiDungXuLy: 'Tiếp nhận hồ sơ',
    TrangThai: 2,
  };

  it('accepts an entry, the due time being optional', () => {
    expect(validateProgressEntry(entry)).toEqual({ ok: true, value: { ...entry, NgayKetThucTheoQuyDinh: null } });
  });

  it('lists wrong fields', () => {
    const result = validateProgressEntry({ ...entry, ThoiDiemXuLy: '2025-10-02', TrangThai: 0, NgayKetThucTheoQuyDinh: 1 });
    expect(result).toMatchObject({ ok: false });
    expect(result.ok ? [] : result.invalidFields.map((field) => field.name)).toEqual([
      'ThoiDiemXuLy',
      'TrangThai',
      'NgayKetThucTheoQuyDinh',
    ]);
  });
});

describe('parsePortalTimestamp', () => {
  it('reads Vietnam wall-clock time', () => {
    expect(parsePortalTimestamp('20260101003005')?.toISOString()).toBe('2025-12-31T17:30:05.000Z');
  });

  it.each(['2025100209150', '20251302091500', '20250230091500', '20251002245900', '2025-10-02T09:15', 20251002091500])(
    'refuses %p',
    (value) => {
      expect(parsePortalTimestamp(value)).toBeUndefined();
    },
  );
});
