import { WeightedTable } from '../../population/simulator/seeded-random';
import { COMMUNES, type Commune } from '../../population/simulator/synthetic-reference-data';
import type { EnterpriseType } from '../business-registry.types';

/**
 * Tables for synthetic enterprises. Names of business lines are the official VSIC 2018 class names;
 * everything else (shares, sectors, name parts) is invented to look plausible, and said so.
 */

/** A subset of the 4-digit classes of VSIC 2018 (Decision 27/2018/QĐ-TTg), with their official names. */
export const VSIC_CLASSES: Readonly<Record<string, string>> = {
  '0118': 'Trồng rau, đậu các loại và trồng hoa',
  '0150': 'Trồng trọt, chăn nuôi hỗn hợp',
  '0322': 'Nuôi trồng thủy sản nội địa',
  '0810': 'Khai thác đá, cát, sỏi, đất sét',
  '1010': 'Chế biến, bảo quản thịt và các sản phẩm từ thịt',
  '1020': 'Chế biến, bảo quản thủy sản và các sản phẩm từ thủy sản',
  '1030': 'Chế biến và bảo quản rau quả',
  '1071': 'Sản xuất các loại bánh từ bột',
  '1079': 'Sản xuất thực phẩm khác chưa được phân vào đâu',
  '1104': 'Sản xuất đồ uống không cồn, nước khoáng',
  '1410': 'May trang phục (trừ trang phục từ da lông thú)',
  '1622': 'Sản xuất đồ gỗ xây dựng',
  '1811': 'In ấn',
  '1812': 'Dịch vụ liên quan đến in',
  '2395': 'Sản xuất bê tông và các sản phẩm từ bê tông, xi măng và thạch cao',
  '2511': 'Sản xuất các cấu kiện kim loại',
  '2592': 'Gia công cơ khí; xử lý và tráng phủ kim loại',
  '3100': 'Sản xuất giường, tủ, bàn, ghế',
  '3320': 'Lắp đặt máy móc và thiết bị công nghiệp',
  '3811': 'Thu gom rác thải không độc hại',
  '3821': 'Xử lý và tiêu huỷ rác thải không độc hại',
  '4101': 'Xây dựng nhà để ở',
  '4102': 'Xây dựng nhà không để ở',
  '4212': 'Xây dựng công trình đường bộ',
  '4221': 'Xây dựng công trình điện',
  '4222': 'Xây dựng công trình cấp, thoát nước',
  '4291': 'Xây dựng công trình thủy',
  '4299': 'Xây dựng công trình kỹ thuật dân dụng khác',
  '4311': 'Phá dỡ',
  '4312': 'Chuẩn bị mặt bằng',
  '4321': 'Lắp đặt hệ thống điện',
  '4322': 'Lắp đặt hệ thống cấp, thoát nước, hệ thống sưởi và điều hoà không khí',
  '4329': 'Lắp đặt hệ thống xây dựng khác',
  '4330': 'Hoàn thiện công trình xây dựng',
  '4390': 'Hoạt động xây dựng chuyên dụng khác',
  '4511': 'Bán buôn ô tô và xe có động cơ khác',
  '4512': 'Bán lẻ ô tô con (loại 9 chỗ ngồi trở xuống)',
  '4520': 'Bảo dưỡng, sửa chữa ô tô và xe có động cơ khác',
  '4530': 'Bán phụ tùng và các bộ phận phụ trợ của ô tô và xe có động cơ khác',
  '4541': 'Bán mô tô, xe máy',
  '4610': 'Đại lý, môi giới, đấu giá hàng hóa',
  '4620': 'Bán buôn nông, lâm sản nguyên liệu (trừ gỗ, tre, nứa) và động vật sống',
  '4632': 'Bán buôn thực phẩm',
  '4633': 'Bán buôn đồ uống',
  '4641': 'Bán buôn vải, hàng may mặc, giày dép',
  '4649': 'Bán buôn đồ dùng khác cho gia đình',
  '4651': 'Bán buôn máy vi tính, thiết bị ngoại vi và phần mềm',
  '4652': 'Bán buôn thiết bị và linh kiện điện tử, viễn thông',
  '4653': 'Bán buôn máy móc, thiết bị và phụ tùng máy nông nghiệp',
  '4659': 'Bán buôn máy móc, thiết bị và phụ tùng máy khác',
  '4661': 'Bán buôn nhiên liệu rắn, lỏng, khí và các sản phẩm liên quan',
  '4662': 'Bán buôn kim loại và quặng kim loại',
  '4663': 'Bán buôn vật liệu, thiết bị lắp đặt khác trong xây dựng',
  '4669': 'Bán buôn chuyên doanh khác chưa được phân vào đâu',
  '4690': 'Bán buôn tổng hợp',
  '4711': 'Bán lẻ lương thực, thực phẩm, đồ uống, thuốc lá, thuốc lào chiếm tỷ trọng lớn trong các cửa hàng kinh doanh tổng hợp',
  '4719': 'Bán lẻ khác trong các cửa hàng kinh doanh tổng hợp',
  '4722': 'Bán lẻ thực phẩm trong các cửa hàng chuyên doanh',
  '4723': 'Bán lẻ đồ uống trong các cửa hàng chuyên doanh',
  '4730': 'Bán lẻ nhiên liệu động cơ trong các cửa hàng chuyên doanh',
  '4741': 'Bán lẻ máy vi tính, thiết bị ngoại vi, phần mềm và thiết bị viễn thông trong các cửa hàng chuyên doanh',
  '4752': 'Bán lẻ đồ ngũ kim, sơn, kính và thiết bị lắp đặt khác trong xây dựng trong các cửa hàng chuyên doanh',
  '4759':
    'Bán lẻ đồ điện gia dụng, giường, tủ, bàn, ghế và đồ nội thất tương tự, đèn và bộ đèn điện, đồ dùng gia đình khác chưa được phân vào đâu trong các cửa hàng chuyên doanh',
  '4771': 'Bán lẻ hàng may mặc, giày dép, hàng da và giả da trong các cửa hàng chuyên doanh',
  '4772': 'Bán lẻ thuốc, dụng cụ y tế, mỹ phẩm và vật phẩm vệ sinh trong các cửa hàng chuyên doanh',
  '4791': 'Bán lẻ theo yêu cầu đặt hàng qua bưu điện hoặc internet',
  '4932': 'Vận tải hành khách đường bộ khác',
  '4933': 'Vận tải hàng hóa bằng đường bộ',
  '5210': 'Kho bãi và lưu giữ hàng hóa',
  '5229': 'Hoạt động dịch vụ hỗ trợ khác liên quan đến vận tải',
  '5510': 'Dịch vụ lưu trú ngắn ngày',
  '5610': 'Nhà hàng và các dịch vụ ăn uống phục vụ lưu động',
  '5621': 'Cung cấp dịch vụ ăn uống theo hợp đồng không thường xuyên với khách hàng',
  '5630': 'Dịch vụ phục vụ đồ uống',
  '5820': 'Xuất bản phần mềm',
  '6201': 'Lập trình máy vi tính',
  '6202': 'Tư vấn máy vi tính và quản trị hệ thống máy vi tính',
  '6209': 'Hoạt động dịch vụ công nghệ thông tin và dịch vụ khác liên quan đến máy vi tính',
  '6311': 'Xử lý dữ liệu, cho thuê và các hoạt động liên quan',
  '6312': 'Cổng thông tin',
  '6810': 'Kinh doanh bất động sản, quyền sử dụng đất thuộc chủ sở hữu, chủ sử dụng hoặc đi thuê',
  '6820': 'Tư vấn, môi giới, đấu giá bất động sản, đấu giá quyền sử dụng đất',
  '6920': 'Hoạt động liên quan đến kế toán, kiểm toán và tư vấn về thuế',
  '7020': 'Hoạt động tư vấn quản lý',
  '7110': 'Hoạt động kiến trúc và tư vấn kỹ thuật có liên quan',
  '7120': 'Kiểm tra và phân tích kỹ thuật',
  '7310': 'Quảng cáo',
  '7320': 'Nghiên cứu thị trường và thăm dò dư luận',
  '7410': 'Hoạt động thiết kế chuyên dụng',
  '7490': 'Hoạt động chuyên môn, khoa học và công nghệ khác chưa được phân vào đâu',
  '7710': 'Cho thuê xe có động cơ',
  '7911': 'Đại lý du lịch',
  '7912': 'Điều hành tua du lịch',
  '7990': 'Dịch vụ đặt chỗ và các dịch vụ hỗ trợ liên quan đến quảng bá và tổ chức tua du lịch',
  '8121': 'Vệ sinh chung nhà cửa',
  '8129': 'Vệ sinh công nghiệp và các công trình chuyên biệt',
  '8130': 'Dịch vụ chăm sóc và duy trì cảnh quan',
  '8230': 'Tổ chức giới thiệu và xúc tiến thương mại',
  '8299': 'Hoạt động dịch vụ hỗ trợ kinh doanh khác còn lại chưa được phân vào đâu',
  '8551': 'Giáo dục thể thao và giải trí',
  '8552': 'Giáo dục văn hoá nghệ thuật',
  '8559': 'Giáo dục khác chưa được phân vào đâu',
  '8560': 'Dịch vụ hỗ trợ giáo dục',
  '8620': 'Hoạt động của các phòng khám đa khoa, chuyên khoa và nha khoa',
  '9000': 'Hoạt động sáng tác, nghệ thuật và giải trí',
};

export interface Sector {
  /** As it appears in the name, between the type and the distinctive name. */
  name: string;
  /** The same in the international name. */
  english: string;
  /** Candidates for the main business line. */
  mainLines: readonly string[];
  /** Other lines such an enterprise typically registers too. */
  relatedLines: readonly string[];
}

function sector(name: string, english: string, mainLines: string[], relatedLines: string[]): Sector {
  return { name, english, mainLines, relatedLines };
}

// Invented weights: trade and construction dominate small enterprises in the central provinces.
const SECTOR_ENTRIES: readonly (readonly [Sector, number])[] = [
  [
    sector(
      'Thương mại',
      'TRADING',
      ['4690', '4649', '4669', '4632', '4663'],
      ['4610', '4620', '4641', '4651', '4659', '4711', '4719', '4791', '5210', '8299'],
    ),
    14,
  ],
  [
    sector(
      'Thương mại Dịch vụ',
      'TRADING SERVICE',
      ['4690', '4649', '4610', '4719'],
      ['4632', '4633', '4641', '4652', '4659', '4791', '5229', '7310', '8230', '8299'],
    ),
    14,
  ],
  [sector('Dịch vụ', 'SERVICES', ['8299', '7490', '8121'], ['4610', '7310', '7710', '8129', '8130', '8230']), 4],
  [
    sector(
      'Xây dựng',
      'CONSTRUCTION',
      ['4101', '4102', '4212', '4299'],
      ['4221', '4222', '4311', '4312', '4321', '4322', '4330', '4390', '4663', '7110'],
    ),
    12,
  ],
  [
    sector(
      'Đầu tư Xây dựng',
      'CONSTRUCTION INVESTMENT',
      ['4101', '4102', '4299', '6810'],
      ['4212', '4291', '4312', '4330', '6820', '7110'],
    ),
    5,
  ],
  [sector('Tư vấn Thiết kế Xây dựng', 'CONSTRUCTION DESIGN CONSULTANCY', ['7110'], ['4101', '4102', '4330', '7120', '7410']), 4],
  [sector('Vật liệu Xây dựng', 'CONSTRUCTION MATERIALS', ['4663', '4752'], ['0810', '2395', '4662', '4933']), 4],
  [sector('Nội thất', 'FURNITURE', ['3100', '4759'], ['1622', '4330', '4649', '7410']), 3],
  [sector('Cơ điện', 'MECHANICAL AND ELECTRICAL', ['4321', '4322'], ['3320', '4329', '4652', '4659']), 3],
  [sector('Cơ khí', 'MECHANICAL ENGINEERING', ['2592', '2511'], ['3320', '4520', '4659', '4662']), 2],
  [sector('Công nghệ', 'TECHNOLOGY', ['6201', '6209', '4651'], ['4652', '4741', '5820', '6202', '6311', '6312']), 5],
  [sector('Giải pháp Phần mềm', 'SOFTWARE SOLUTIONS', ['6201', '5820'], ['6202', '6209', '6311', '6312', '7020']), 2],
  [sector('Du lịch', 'TRAVEL', ['7912', '7911'], ['4932', '5510', '5610', '7710', '7990']), 5],
  [sector('Du lịch Khách sạn', 'HOTEL AND TRAVEL', ['5510'], ['5610', '5630', '7912', '7990']), 3],
  [sector('Dịch vụ Ăn uống', 'FOOD AND BEVERAGE SERVICES', ['5610', '5630'], ['4722', '4723', '5621']), 4],
  [sector('Thực phẩm', 'FOOD', ['1079', '1010', '1030', '1071', '4632'], ['1104', '4633', '4711', '4722']), 4],
  [sector('Thủy sản', 'SEAFOOD', ['1020', '0322'], ['4620', '4632', '5210']), 2],
  [sector('Nông nghiệp', 'AGRICULTURE', ['0150', '0118', '4620'], ['0322', '1030', '4653']), 2],
  [sector('Vận tải', 'TRANSPORT', ['4933', '4932'], ['4661', '5210', '5229', '7710']), 5],
  [sector('May mặc', 'GARMENT', ['1410', '4641'], ['4649', '4771']), 2],
  [sector('Bất động sản', 'REAL ESTATE', ['6810', '6820'], ['4101', '4102', '7020', '7110']), 3],
  [sector('Giáo dục', 'EDUCATION', ['8559'], ['8551', '8552', '8560']), 2],
  [sector('Dược phẩm', 'PHARMACEUTICAL', ['4649', '4772'], ['4659', '4669']), 1],
  [sector('Y tế', 'MEDICAL', ['8620'], ['4659', '4772']), 1],
  [sector('Truyền thông và Quảng cáo', 'MEDIA AND ADVERTISING', ['7310'], ['1811', '7320', '7410', '8230', '9000']), 2],
  [sector('In ấn', 'PRINTING', ['1811'], ['1812', '4649', '7310']), 1],
  [sector('Môi trường', 'ENVIRONMENT', ['3811', '8129'], ['3821', '8121', '8130']), 2],
  [sector('Tư vấn Kế toán Thuế', 'ACCOUNTING AND TAX CONSULTANCY', ['6920'], ['7020', '8299']), 1],
  [sector('Tư vấn Đầu tư', 'INVESTMENT CONSULTANCY', ['7020'], ['6820', '7320', '8299']), 2],
  [sector('Xăng dầu', 'PETROLEUM', ['4730', '4661'], ['4933', '5210']), 2],
  [sector('Ô tô', 'AUTOMOBILE', ['4511', '4512', '4520'], ['4530', '4541', '7710']), 2],
];

export const SECTORS = new WeightedTable(SECTOR_ENTRIES);
/** Partnerships are mostly professional firms. */
export const PARTNERSHIP_SECTORS = new WeightedTable(
  SECTOR_ENTRIES.filter(([candidate]) => candidate.name.startsWith('Tư vấn')).map(([candidate]) => [candidate, 1] as const),
);
/** Lines many enterprises add whatever their trade. */
export const COMMON_EXTRA_LINES: readonly string[] = ['4610', '4690', '7490', '8299'];

/** Invented shares of legal forms, close to the mix of newly registered enterprises. */
export const ENTERPRISE_TYPE_TABLE = new WeightedTable<EnterpriseType>([
  ['SINGLE_MEMBER_LLC', 42],
  ['MULTI_MEMBER_LLC', 24],
  ['JOINT_STOCK', 21],
  ['SOLE_PROPRIETORSHIP', 12],
  ['PARTNERSHIP', 1],
]);

/** Title of the legal representative by legal form. */
export const POSITIONS: Readonly<Record<EnterpriseType, WeightedTable<string>>> = {
  SOLE_PROPRIETORSHIP: new WeightedTable([['Chủ doanh nghiệp', 1]]),
  SINGLE_MEMBER_LLC: new WeightedTable([
    ['Giám đốc', 60],
    ['Chủ tịch công ty', 25],
    ['Tổng giám đốc', 15],
  ]),
  MULTI_MEMBER_LLC: new WeightedTable([
    ['Giám đốc', 60],
    ['Chủ tịch Hội đồng thành viên', 25],
    ['Tổng giám đốc', 15],
  ]),
  JOINT_STOCK: new WeightedTable([
    ['Tổng giám đốc', 45],
    ['Giám đốc', 30],
    ['Chủ tịch Hội đồng quản trị', 25],
  ]),
  PARTNERSHIP: new WeightedTable([['Thành viên hợp danh', 1]]),
};

/**
 * The two syllables of distinctive names (Hoàng Long, Minh Phát): auspicious words common in
 * Vietnamese trade names. Single words only, so a distinctive name splits back unambiguously.
 */
export const DISTINCTIVE_FIRST: readonly string[] =
  'Hoàng Minh Thành Phú An Hưng Đại Tân Vạn Phúc Thiên Trường Gia Quang Tiến Đức Hồng Kim Bảo Việt Nam Hải Thái Nhật Toàn Hòa Thuận Lộc Tài Thịnh Hiệp Khánh Ngọc Phương Hương Trung Xuân Đông Bình Kiến Long Mỹ Quốc Tín Huy Sơn Hữu Đắc Vinh Tường'.split(
    ' ',
  );
export const DISTINCTIVE_SECOND: readonly string[] =
  'Long Phát Thành Thịnh Hưng Phú An Lộc Tín Đạt Quý Vượng Khang Nguyên Minh Tiến Hải Sơn Phong Gia Việt Hòa Thuận Mỹ Bình Tài Trí Huy Dương Vinh Anh Nam Lợi Cường Hà Hiếu Ngân Châu Linh Hoàng Nhân Tâm'.split(
    ' ',
  );

/** Place names added to a distinctive name once every two-syllable name is taken (Hoàng Long Huế). */
export const NAME_QUALIFIERS: readonly string[] =
  'Huế, Sông Hương, Phú Xuân, Thuận Hóa, Kim Long, Vỹ Dạ, Hương Thủy, Hương Trà, Phong Điền, Quảng Điền, Phú Vang, Lăng Cô, Chân Mây, A Lưới, Quảng Trị, Đông Hà, Cửa Việt, Lao Bảo, Khe Sanh, Hiền Lương, Quảng Bình, Đồng Hới, Nhật Lệ, Ba Đồn, Phong Nha, Miền Trung'.split(
    ', ',
  );

/**
 * First two digits of enterprise codes issued in a (pre-2025) province, by that province's 3-digit
 * code as in `Commune.formerProvinceCode`. Tax-office numbering, not the statistical codes; taken
 * from issued codes, not from the official list (unconfirmed). A code never changes, so codes keep
 * the prefix of the province they were issued in, before or after the 2025 merger.
 */
export const ENTERPRISE_CODE_PROVINCE: Readonly<Record<string, string>> = {
  '044': '31', // Quảng Bình
  '045': '32', // Quảng Trị
  '046': '33', // Thừa Thiên Huế
};

function officeWeight(commune: Commune): number {
  // Offices cluster in wards; the Cồn Cỏ island district has almost none.
  return commune.type === 'phường' ? 3 : commune.type === 'xã' ? 1 : 0.02;
}

function officeTable(communes: readonly Commune[]): WeightedTable<Commune> {
  return new WeightedTable(communes.map((commune) => [commune, officeWeight(commune)] as const));
}

export const OFFICE_COMMUNES = officeTable(COMMUNES);

const FORMER_PROVINCES = [...new Set(COMMUNES.map((commune) => commune.formerProvinceCode))];

/** Former provinces (3-digit codes) enterprises were registered in, weighted like their offices. */
export const REGISTRATION_PROVINCES = new WeightedTable(
  FORMER_PROVINCES.map(
    (code) =>
      [
        code,
        COMMUNES.filter((commune) => commune.formerProvinceCode === code).reduce((sum, commune) => sum + officeWeight(commune), 0),
      ] as const,
  ),
);

/** Office communes within one former province. */
export const OFFICE_COMMUNES_BY_PROVINCE: ReadonlyMap<string, WeightedTable<Commune>> = new Map(
  FORMER_PROVINCES.map((code) => [code, officeTable(COMMUNES.filter((commune) => commune.formerProvinceCode === code))]),
);
