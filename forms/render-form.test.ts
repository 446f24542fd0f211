import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvalidInputError } from '../domain/errors';
import { fromVietnamLocal } from '../domain/time/vietnam-time';
import type { ReceiptData, RegisterData } from './form-data';
import { SAMPLE_DATA, registerRows } from './form-samples';
import { renderForm } from './render-form';

const MOTTO = ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc'];

let workDir: string;
beforeAll(() => {
  workDir = mkdtempSync(path.join(tmpdir(), 'forms-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

interface Extracted {
  /** pdftotext -layout output, one string per page. */
  pages: string[];
  /** All pages with runs of white space collapsed, so wrapped lines read as one. */
  flat: string;
  pageCount: number;
  /** pdftotext -raw output collapsed like `flat`: table cells come out whole, in drawing order. */
  raw: string;
  /** Images placed in the file, as `pdfimages -list` sees them (alpha masks not counted): width × height px. */
  images: string[];
  /** Width and height of the first page, points. */
  mediaBox: [number, number];
}

let fileNo = 0;
function extract(pdf: Buffer): Extracted {
  const file = path.join(workDir, `form-${++fileNo}.pdf`);
  writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  const pages = text.split('\f').filter((page) => page.trim() !== '');
  const raw = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })
    .split('\n')
    .slice(2)
    .map((line) => line.trim().split(/\s+/))
    .filter((columns) => columns[2] === 'image')
    .map((columns) => `${columns[3]}×${columns[4]}`);
  const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'));
  return {
    pages,
    flat: text.replace(/\s+/g, ' '),
    raw: raw.replace(/\s+/g, ' '),
    pageCount: pages.length,
    images,
    mediaBox: [Number(box?.[1]), Number(box?.[2])],
  };
}

function expectAll(text: string, expected: string[]): void {
  const missing = expected.filter((e) => !text.includes(e));
  expect(missing).toEqual([]);
}

describe('form 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả', () => {
  it('prints the receipt on one A5 page with the dossier data, Vietnamese dates, money and both codes', async () => {
    const pdf = await renderForm('01', SAMPLE_DATA['01']);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const out = extract(pdf);
    expect(out.pageCount).toBe(1);
    expect(out.mediaBox).toEqual([419.53, 595.28]);
    expectAll(out.flat, [
      'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
      ...MOTTO,
      'UBND THÀNH PHỐ HUẾ',
      'UBND PHƯỜNG PHÚ XUÂN',
      'Phú Xuân, ngày 23 tháng 11 năm 2026',
      'Mã hồ sơ: H57.22.05.13-261123-0042',
      'Tiếp nhận hồ sơ của: Nguyễn Thị Hồng Nhung',
      'Phường Phú Xuân',
      'Nội dung yêu cầu giải quyết: Đăng ký khai sinh',
      '1.001193',
      'Tờ khai đăng ký khai sinh',
      'Giấy chứng nhận kết hôn của cha, mẹ',
      'Bản chính',
      'Bản sao có chứng thực',
      '2. Số lượng hồ sơ: 1 bộ',
      '4. Thời gian nhận hồ sơ: 09 giờ 30 phút, ngày 23 tháng 11 năm 2026',
      '16 giờ 30 phút, ngày 23 tháng 11 năm 2026',
      'Phí cấp bản sao trích lục khai sinh (02 bản): 16.000 đồng',
      'Tổng cộng: 16.000 đồng',
      'Quyển số: 03/2026, Số thứ tự: 1254',
      'NGƯỜI NỘP HỒ SƠ',
      'NGƯỜI TIẾP NHẬN HỒ SƠ',
      'Lê Thị Thu Hà',
    ]);
    // "Giấy chứng sinh do Bệnh viện Trung ương Huế cấp" wraps inside its cell: check its words.
    expectAll(out.flat, ['Giấy chứng sinh do Bệnh viện Trung ương', 'Huế']);
    expectCodes(out);
  });

  it('flows a long list of papers onto further pages, repeating the table header, with large fees', async () => {
    const papers = Array.from({ length: 30 }, (_, i) => ({
      name: `Giấy tờ số ${i + 1}: bản vẽ thửa đất, tờ bản đồ số ${40 + i}`,
      kind: (['original', 'copy', 'certified copy'] as const)[i % 3]!,
      quantity: 1 + (i % 2),
    }));
    const data: ReceiptData = {
      ...SAMPLE_DATA['01'],
      procedure: { code: '1.012793', name: 'Đăng ký đất đai, tài sản gắn liền với đất lần đầu', resolutionTime: '20 ngày làm việc' },
      papers,
      fees: [
        { name: 'Phí thẩm định hồ sơ cấp Giấy chứng nhận', amountVnd: 1_000_000 },
        { name: 'Lệ phí cấp Giấy chứng nhận', amountVnd: 100_000 },
      ],
    };
    const out = extract(await renderForm('01', data));
    expect(out.pageCount).toBeGreaterThan(1);
    for (const paper of papers) expect(out.flat).toContain(paper.name);
    for (const page of out.pages.slice(0, -1)) expect(page).toContain('Tên giấy tờ');
    expectAll(out.flat, ['1.000.000 đồng', '100.000 đồng', 'Tổng cộng: 1.100.000 đồng', `Trang 1/${out.pageCount}`]);
  });

  it('prints "không thu" when there is no fee', async () => {
    const out = extract(await renderForm('01', { ...SAMPLE_DATA['01'], fees: [] }));
    expect(out.flat).toContain('7. Phí, lệ phí: không thu');
    expect(out.flat).not.toContain('Tổng cộng');
  });

  it('prints decomposed (NFD) input as ordinary precomposed Vietnamese', async () => {
    const data = { ...SAMPLE_DATA['01'], applicant: { ...SAMPLE_DATA['01'].applicant, name: 'Nguyễn Thị Hồng Nhung'.normalize('NFD') } };
    const out = extract(await renderForm('01', data));
    expect(out.flat).toContain('Nguyễn Thị Hồng Nhung');
  });
});

describe('form 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ', () => {
  it('lists every missing item with its reason; no code, no barcode', async () => {
    const out = extract(await renderForm('02', SAMPLE_DATA['02']));
    expectAll(out.flat, [
      'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
      ...MOTTO,
      'Hồ sơ của: Nguyễn Thị Hồng Nhung',
      'Đăng ký khai sinh',
      '09 giờ 50 phút, ngày 23 tháng 11 năm 2026',
      'Giấy chứng sinh (bản chính)',
      'Văn bản ủy quyền có chứng thực',
      'Người nộp hồ sơ không phải là cha, mẹ của trẻ.',
      'Phan Văn Quý',
      '0234 3822 125',
      'NGƯỜI HƯỚNG DẪN',
    ]);
    expect(out.flat).not.toContain('Mã hồ sơ');
    expect(out.images).toEqual([]);
  });

  it('shows the dossier code with its barcode and QR code when the dossier has one', async () => {
    const out = extract(await renderForm('02', { ...SAMPLE_DATA['02'], dossier: { code: 'H57.22.05.13-261123-0044' } }));
    expect(out.flat).toContain('Mã hồ sơ: H57.22.05.13-261123-0044');
    expectCodes(out);
  });
});

describe('form 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ', () => {
  it('states the legal basis and every reason', async () => {
    const out = extract(await renderForm('03', SAMPLE_DATA['03']));
    expectAll(out.flat, [
      'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
      ...MOTTO,
      'Tiếp nhận hồ sơ của: Trần Văn Hưởng',
      'Đăng ký khai tử',
      'Khoản 1 Điều 32 Luật Hộ tịch số 60/2014/QH13',
      '1. Người chết cư trú cuối cùng tại xã Phong Điền',
      '2. Đề nghị Ông/Bà nộp hồ sơ tại Bộ phận Một cửa xã Phong Điền',
      'từ chối tiếp nhận, giải quyết hồ sơ này',
    ]);
  });
});

describe('form 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả', () => {
  it('gives the reason, the old and the new date, signed by the head of the agency', async () => {
    const out = extract(await renderForm('04', SAMPLE_DATA['04']));
    expectAll(out.flat, [
      'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
      ...MOTTO,
      'Số: 87/PXL',
      'Kính gửi: Ông/Bà Nguyễn Thị Hồng Nhung',
      'Vào 09 giờ 30 phút, ngày 23 tháng 11 năm 2026, UBND phường Phú Xuân đã tiếp nhận hồ sơ',
      'Đăng ký lại khai sinh',
      'Thời hạn trả kết quả theo giấy hẹn: 16 giờ 30 phút, ngày 30 tháng 11 năm 2026',
      '16 giờ 30 phút, ngày 04 tháng 12 năm 2026',
      'Ủy ban nhân dân xã Quảng Điền',
      'KT. CHỦ TỊCH',
      'PHÓ CHỦ TỊCH',
      'Hoàng Minh Tuấn',
      'Nơi nhận:',
      'Mã hồ sơ: H57.22.05.13-261123-0043',
    ]);
    expectCodes(out);
  });
});

describe('form 05: Phiếu kiểm soát quá trình giải quyết hồ sơ', () => {
  it('tracks every hand-over with its times and result', async () => {
    const out = extract(await renderForm('05', SAMPLE_DATA['05']));
    expect(out.mediaBox).toEqual([841.89, 595.28]);
    expectAll(out.flat, [
      'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
      ...MOTTO,
      'Mã hồ sơ: H57.22.05.13-261123-0043',
      'Kèm theo Phiếu này là hồ sơ của: Nguyễn Thị Hồng Nhung',
      'Hẹn trả kết quả: 16 giờ 30 phút, ngày 30 tháng 11 năm 2026',
      'UBND xã Quảng Điền, Công an phường Phú Xuân',
      'Giao, nhận hồ sơ',
      'Phan Văn Quý',
      'Hoàng Minh Tuấn',
      'Trước hạn',
      'Đúng hạn',
      'Quá hạn',
      '26/11/2026',
      '01/12/2026',
    ]);
    expectCodes(out);
  });
});

describe('form 06: Sổ theo dõi hồ sơ', () => {
  it('prints all 40 rows of a month across pages, the header repeated on each', async () => {
    const data = SAMPLE_DATA['06'];
    const out = extract(await renderForm('06', data));
    expect(out.pageCount).toBeGreaterThan(1);
    expectAll(out.flat, ['SỔ THEO DÕI HỒ SƠ', ...MOTTO, 'Quyển số: 03/2026', 'Từ ngày 01 tháng 11 năm 2026 đến ngày 30 tháng 11 năm 2026']);
    const text = out.pages.join('\n');
    for (const row of data.rows) {
      // Each dossier code exactly once: nothing lost, nothing printed twice at a page break.
      expect(text.split(row.dossierCode).length - 1).toBe(1);
      expect(out.flat).toContain(String(row.sequence));
    }
    for (const page of out.pages) {
      expectAll(page, ['Mã hồ sơ', 'Ngày, tháng, năm', `/${out.pageCount}`]);
    }
    expect(out.images).toEqual([]);
  });

  it('keeps every applicant name with its diacritics', async () => {
    const rows = registerRows(40);
    const out = extract(await renderForm('06', { ...SAMPLE_DATA['06'], rows }));
    // Names wrap inside their narrow cell, so read the cells whole (raw order).
    for (const row of rows) expect(out.raw).toContain(row.applicantName);
  });

  it('says so when the period has no dossier', async () => {
    const empty: RegisterData = { ...SAMPLE_DATA['06'], rows: [] };
    const out = extract(await renderForm('06', empty));
    expect(out.flat).toContain('Không có hồ sơ nào trong kỳ.');
  });
});

describe('data checks', () => {
  it('rejects data that does not fit the form, naming every field', async () => {
    const broken = { ...SAMPLE_DATA['01'], applicant: { name: '  ' }, papers: [] } as unknown as ReceiptData;
    const error = await renderForm('01', broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).reason).toBe('FORM.INVALID_DATA');
    const problems = (error as InvalidInputError).details?.['problems'] as string[];
    expect(problems.some((p) => p.startsWith('applicant.name:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('papers:'))).toBe(true);
  });

  it('rejects an unknown form', async () => {
    await expect(renderForm('07' as '01', SAMPLE_DATA['01'])).rejects.toMatchObject({ code: 'BAD_USER_INPUT', reason: 'FORM.UNKNOWN' });
  });

  it('rejects a dossier code a barcode cannot carry', async () => {
    const data = { ...SAMPLE_DATA['01'], dossier: { code: 'HỒ-SƠ-01' } };
    await expect(renderForm('01', data)).rejects.toMatchObject({ reason: 'FORM.BARCODE_TEXT' });
  });

  it('prints times in Vietnam time whatever the server zone', async () => {
    // 23:45 UTC on 22 November is 06:45 on 23 November in Vietnam.
    const receivedAt = new Date(Date.UTC(2026, 10, 22, 23, 45));
    expect(receivedAt).toEqual(fromVietnamLocal(2026, 11, 23, 6, 45));
    const out = extract(await renderForm('01', { ...SAMPLE_DATA['01'], receivedAt }));
    expect(out.flat).toContain('06 giờ 45 phút, ngày 23 tháng 11 năm 2026');
  });
});

/** One Code 128 barcode (much wider than tall) and one QR code (square). */
function expectCodes(out: Extracted): void {
  expect(out.images).toHaveLength(2);
  const [barcode, qr] = out.images.map((size) => size.split('×').map(Number) as [number, number]);
  expect(barcode![0]).toBeGreaterThan(5 * barcode![1]);
  expect(qr![0]).toBe(qr![1]);
}
