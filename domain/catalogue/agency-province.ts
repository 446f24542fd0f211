/**
 * The 34 provinces of Decision 19/2025/QĐ-TTg (in force since 1 July 2025), by their 2-digit code,
 * as listed in reference/admin-units.json `provinces2025`. Each kept the code of one of the merged
 * provinces, so a code of before 2025 that is not here names a province that no longer exists.
 */
export const PROVINCES_2025: ReadonlyMap<string, string> = new Map<string, string>([
  ['01', 'Thành phố Hà Nội'],
  ['04', 'Tỉnh Cao Bằng'],
  ['08', 'Tỉnh Tuyên Quang'],
  ['11', 'Tỉnh Điện Biên'],
  ['12', 'Tỉnh Lai Châu'],
  ['14', 'Tỉnh Sơn La'],
  ['15', 'Tỉnh Lào Cai'],
  ['19', 'Tỉnh Thái Nguyên'],
  ['20', 'Tỉnh Lạng Sơn'],
  ['22', 'Tỉnh Quảng Ninh'],
  ['24', 'Tỉnh Bắc Ninh'],
  ['25', 'Tỉnh Phú Thọ'],
  ['31', 'Thành phố Hải Phòng'],
  ['33', 'Tỉnh Hưng Yên'],
  ['37', 'Tỉnh Ninh Bình'],
  ['38', 'Tỉnh Thanh Hóa'],
  ['40', 'Tỉnh Nghệ An'],
  ['42', 'Tỉnh Hà Tĩnh'],
  ['44', 'Tỉnh Quảng Trị'],
  ['46', 'Thành phố Huế'],
  ['48', 'Thành phố Đà Nẵng'],
  ['51', 'Tỉnh Quảng Ngãi'],
  ['52', 'Tỉnh Gia Lai'],
  ['56', 'Tỉnh Khánh Hòa'],
  ['66', 'Tỉnh Đắk Lắk'],
  ['68', 'Tỉnh Lâm Đồng'],
  ['75', 'Tỉnh Đồng Nai'],
  ['79', 'Thành phố Hồ Chí Minh'],
  ['80', 'Tỉnh Tây Ninh'],
  ['82', 'Tỉnh Đồng Tháp'],
  ['86', 'Tỉnh Vĩnh Long'],
  ['91', 'Tỉnh An Giang'],
  ['92', 'Thành phố Cần Thơ'],
  ['96', 'Tỉnh Cà Mau'],
]);

/** What places an agency in a province: its level, its administrative unit and its parent. */
export interface AgencyPlacement {
  code: string;
  level: string;
  parentCode?: string | null | undefined;
  adminUnitCode?: string | null | undefined;
}

/**
 * The province (2-digit code) of an agency: that of the first province-level agency met going up
 * from it through its parents, itself included. A commune's code does not carry its province's
 * digits, so a commune agency is placed by its parent. Null when the chain reaches no province.
 */
export function provinceOfAgency(agency: AgencyPlacement, byCode: ReadonlyMap<string, AgencyPlacement>): string | null {
  const seen = new Set<string>();
  for (let at: AgencyPlacement | undefined = agency; at && !seen.has(at.code); at = at.parentCode ? byCode.get(at.parentCode) : undefined) {
    seen.add(at.code);
    if (at.level === 'province') return at.adminUnitCode && /^\d{2}$/.test(at.adminUnitCode) ? at.adminUnitCode : null;
  }
  return null;
}

/** The codes of the agencies placed in `province`, in the order given. */
export function agenciesInProvince(agencies: readonly AgencyPlacement[], province: string): string[] {
  const byCode = new Map(agencies.map((agency) => [agency.code, agency]));
  return agencies.filter((agency) => provinceOfAgency(agency, byCode) === province).map((agency) => agency.code);
}
