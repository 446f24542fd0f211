import { fromVietnamLocal } from '../domain/time/vietnam-time';
import type { FormDataById } from './form-data';

/**
 * Realistic data for every form: used by the tests and by `check-templates --preview`, so an agency
 * sees its edited templates filled in. The people and codes are invented.
 */

const agency = {
  parentName: 'UBND thành phố Huế',
  name: 'UBND phường Phú Xuân',
  deskName: 'Bộ phận Một cửa phường Phú Xuân',
  phone: '0234 3822 123',
};

const applicant = {
  name: 'Nguyễn Thị Hồng Nhung',
  address: 'Số 12 kiệt 34 đường Đặng Thái Thân, Phường Phú Xuân, Thành phố Huế',
  phone: '0905 123 456',
  email: 'hongnhung.nguyen@example.vn',
};

const birthRegistration = { code: '1.001193', name: 'Đăng ký khai sinh', resolutionTime: 'Trong ngày làm việc' };
const lateBirthRegistration = { code: '1.004884', name: 'Đăng ký lại khai sinh', resolutionTime: '05 ngày làm việc' };

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Thị', 'Văn', 'Đức', 'Minh', 'Ngọc', 'Quang', 'Thanh', 'Hữu'];
const GIVEN = ['Nhung', 'Hưởng', 'Phương', 'Quốc Bảo', 'Thủy', 'Dũng', 'Ánh', 'Khoa', 'Hằng', 'Lộc', 'Yến', 'Trường', 'Diệp', 'Sơn'];
const PROCEDURES = [
  'Đăng ký khai sinh',
  'Chứng thực bản sao từ bản chính',
  'Đăng ký kết hôn',
  'Cấp bản sao trích lục hộ tịch',
  'Đăng ký khai tử',
];
const STREETS = ['Đặng Thái Thân', 'Lê Duẩn', 'Chi Lăng', 'Huỳnh Thúc Kháng', 'Mai Thúc Loan'];

const at = (month: number, day: number, hour: number, minute: number): Date => fromVietnamLocal(2026, month, day, hour, minute);

export const SAMPLE_DATA: FormDataById = {
  '01': {
    agency,
    place: 'Phú Xuân',
    issuedAt: at(11, 23, 9, 30),
    documentNumber: '1254',
    dossier: { code: 'H57.22.05.13-261123-0042' },
    applicant,
    procedure: birthRegistration,
    papers: [
      { name: 'Tờ khai đăng ký khai sinh', kind: 'original', quantity: 1 },
      { name: 'Giấy chứng sinh do Bệnh viện Trung ương Huế cấp', kind: 'original', quantity: 1 },
      { name: 'Giấy chứng nhận kết hôn của cha, mẹ', kind: 'copy', quantity: 1 },
      { name: 'Văn bản ủy quyền đăng ký khai sinh', kind: 'certified copy', quantity: 1 },
    ],
    sets: 1,
    receivedAt: at(11, 23, 9, 30),
    dueAt: at(11, 23, 16, 30),
    returnPlace: 'Bộ phận Một cửa phường Phú Xuân, số 23 đường Tố Hữu, Phường Phú Xuân',
    fees: [{ name: 'Phí cấp bản sao trích lục khai sinh (02 bản)', amountVnd: 16_000 }],
    register: { book: '03/2026', sequence: 1254 },
    receivingOfficer: { name: 'Lê Thị Thu Hà', position: 'Công chức Một cửa' },
  },
  '02': {
    agency,
    place: 'Phú Xuân',
    issuedAt: at(11, 23, 10, 5),
    applicant,
    dossier: {},
    procedure: birthRegistration,
    receivedAt: at(11, 23, 9, 50),
    missingItems: [
      { item: 'Giấy chứng sinh (bản chính)', reason: 'Hồ sơ chỉ có bản chụp, không có bản chính để đối chiếu.' },
      { item: 'Văn bản ủy quyền có chứng thực', reason: 'Người nộp hồ sơ không phải là cha, mẹ của trẻ.' },
      {
        item: 'Tờ khai đăng ký khai sinh (khai lại)',
        reason: 'Thiếu chữ ký của người yêu cầu; mục "Nơi sinh" chưa ghi theo tên đơn vị hành chính mới (Phường Phú Xuân).',
      },
    ],
    contact: { name: 'Phan Văn Quý, công chức Tư pháp - Hộ tịch', phone: '0234 3822 125' },
    guidingOfficer: { name: 'Lê Thị Thu Hà' },
  },
  '03': {
    agency,
    place: 'Phú Xuân',
    issuedAt: at(11, 23, 14, 10),
    dossier: {},
    applicant: { ...applicant, name: 'Trần Văn Hưởng', phone: '0914 556 778' },
    procedure: { code: '1.000656', name: 'Đăng ký khai tử' },
    receivedAt: at(11, 23, 14, 0),
    legalBasis: ['Khoản 1 Điều 32 Luật Hộ tịch số 60/2014/QH13 (thẩm quyền đăng ký khai tử).'],
    reasons: [
      'Người chết cư trú cuối cùng tại xã Phong Điền, thành phố Huế; việc đăng ký khai tử thuộc thẩm quyền của Ủy ban nhân dân xã Phong Điền.',
      'Đề nghị Ông/Bà nộp hồ sơ tại Bộ phận Một cửa xã Phong Điền hoặc trên Cổng Dịch vụ công quốc gia.',
    ],
    receivingOfficer: { name: 'Lê Thị Thu Hà' },
  },
  '04': {
    agency,
    place: 'Phú Xuân',
    issuedAt: at(11, 30, 8, 0),
    documentNumber: '87',
    dossier: { code: 'H57.22.05.13-261123-0043' },
    applicant,
    procedure: lateBirthRegistration,
    receivedAt: at(11, 23, 9, 30),
    originalDueAt: at(11, 30, 16, 30),
    newDueAt: at(12, 4, 16, 30),
    reason:
      'Hồ sơ cần xác minh nội dung khai sinh trước đây tại Ủy ban nhân dân xã Quảng Điền; đến nay cơ quan này chưa có văn bản trả lời.',
    signer: { position: 'KT. Chủ tịch\nPhó Chủ tịch', name: 'Hoàng Minh Tuấn' },
  },
  '05': {
    agency,
    place: 'Phú Xuân',
    issuedAt: at(11, 23, 9, 30),
    dossier: { code: 'H57.22.05.13-261123-0043' },
    applicant,
    procedure: lateBirthRegistration,
    receivedAt: at(11, 23, 9, 30),
    dueAt: at(11, 30, 16, 30),
    leadAgency: 'UBND phường Phú Xuân',
    coordinatingAgencies: ['UBND xã Quảng Điền', 'Công an phường Phú Xuân'],
    steps: [
      {
        from: { agency: 'Bộ phận Một cửa phường Phú Xuân', officer: 'Lê Thị Thu Hà' },
        to: { agency: 'Công chức Tư pháp - Hộ tịch', officer: 'Phan Văn Quý' },
        handedOverAt: at(11, 23, 10, 15),
        dueAt: at(11, 26, 17, 0),
        completedAt: at(11, 26, 15, 20),
        result: 'early',
        note: 'Đã gửi văn bản xác minh đến UBND xã Quảng Điền',
      },
      {
        from: { agency: 'Công chức Tư pháp - Hộ tịch', officer: 'Phan Văn Quý' },
        to: { agency: 'Lãnh đạo UBND phường Phú Xuân', officer: 'Hoàng Minh Tuấn' },
        handedOverAt: at(11, 26, 15, 30),
        dueAt: at(11, 27, 17, 0),
        completedAt: at(11, 27, 17, 0),
        result: 'on-time',
      },
      {
        from: { agency: 'Lãnh đạo UBND phường Phú Xuân', officer: 'Hoàng Minh Tuấn' },
        to: { agency: 'Bộ phận Một cửa phường Phú Xuân', officer: 'Lê Thị Thu Hà' },
        handedOverAt: at(11, 30, 8, 0),
        dueAt: at(11, 30, 11, 0),
        completedAt: at(12, 1, 9, 0),
        result: 'late',
        note: 'Chờ kết quả xác minh; đã lập Phiếu xin lỗi, hẹn lại ngày 04/12/2026',
      },
    ],
  },
  '06': {
    agency,
    place: 'Phú Xuân',
    issuedAt: at(12, 1, 8, 0),
    book: '03/2026',
    period: { from: at(11, 1, 0, 0), to: at(11, 30, 23, 59) },
    rows: registerRows(40),
  },
};

/** Rows of a month's register: names and procedures vary, every fifth dossier is still open. */
export function registerRows(count: number): FormDataById['06']['rows'] {
  return Array.from({ length: count }, (_, i) => {
    const day = 2 + Math.floor(i / 2);
    const receivedAt = at(11, day, i % 2 === 0 ? 8 : 14, 15 + (i % 4) * 10);
    const dueAt = at(11, day + 1, 16, 30);
    const open = i % 5 === 4;
    return {
      sequence: 1201 + i,
      dossierCode: `H57.22.05.13-2611${String(day).padStart(2, '0')}-${String(101 + i).padStart(4, '0')}`,
      procedureName: PROCEDURES[i % PROCEDURES.length]!,
      sets: 1 + (i % 3 === 2 ? 1 : 0),
      applicantName: `${FAMILY[i % FAMILY.length]} ${MIDDLE[i % MIDDLE.length]} ${GIVEN[i % GIVEN.length]}`,
      applicantAddress: `${10 + i} ${STREETS[i % STREETS.length]}, Phường Phú Xuân`,
      applicantPhone: `0905 ${String(100 + i).padStart(3, '0')} ${String(200 + i * 7).padStart(3, '0')}`,
      leadAgency: 'UBND phường Phú Xuân',
      receivedAt,
      dueAt,
      transferredAt: at(11, day, i % 2 === 0 ? 10 : 15, 0),
      ...(open ? {} : { resultReceivedAt: at(11, day + 1, 11, 0), returnedAt: at(11, day + 1, 15, 30) }),
      ...(open ? { note: 'Chờ bổ sung hồ sơ' } : {}),
    };
  });
}
