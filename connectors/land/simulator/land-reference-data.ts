import { COMMUNES, RESIDENCE_COMMUNES, type Commune } from '../../population/simulator/synthetic-reference-data';
import { WeightedTable } from '../../population/simulator/seeded-random';

/**
 * Tables for synthetic land records. Land category codes and names follow the land law's
 * classification (Luật Đất đai 2024); the shares, areas, certificate series and lenders are
 * invented to look plausible, not taken from statistics.
 */

export { COMMUNES, type Commune };

export const COMMUNES_BY_CODE: ReadonlyMap<string, Commune> = new Map(COMMUNES.map((commune) => [commune.code, commune]));

/** Communes weighted by population, as for residences: busier places hold more parcels. */
export const PARCEL_COMMUNES = RESIDENCE_COMMUNES;

export interface LandCategory {
  code: string;
  name: string;
  residential: boolean;
  /** Typical area range in m² (drawn log-uniformly). */
  minAreaM2: number;
  maxAreaM2: number;
}

function category(code: string, name: string, minAreaM2: number, maxAreaM2: number, residential = false): LandCategory {
  return { code, name, residential, minAreaM2, maxAreaM2 };
}

export const LAND_CATEGORIES = {
  ODT: category('ODT', 'Đất ở tại đô thị', 40, 300, true),
  ONT: category('ONT', 'Đất ở tại nông thôn', 120, 900, true),
  LUC: category('LUC', 'Đất chuyên trồng lúa', 300, 3000),
  BHK: category('BHK', 'Đất bằng trồng cây hàng năm khác', 200, 2500),
  CLN: category('CLN', 'Đất trồng cây lâu năm', 500, 10_000),
  NTS: category('NTS', 'Đất nuôi trồng thủy sản', 500, 6000),
  RSX: category('RSX', 'Đất rừng sản xuất', 5000, 60_000),
  TMD: category('TMD', 'Đất thương mại, dịch vụ', 150, 8000),
  SKC: category('SKC', 'Đất cơ sở sản xuất phi nông nghiệp', 800, 40_000),
} as const satisfies Record<string, LandCategory>;

/** Non-residential land of households and individuals, by commune type. */
export const CITIZEN_OTHER_LAND = {
  ward: new WeightedTable<LandCategory>([
    [LAND_CATEGORIES.CLN, 30],
    [LAND_CATEGORIES.BHK, 25],
    [LAND_CATEGORIES.LUC, 20],
    [LAND_CATEGORIES.TMD, 15],
    [LAND_CATEGORIES.NTS, 10],
  ]),
  rural: new WeightedTable<LandCategory>([
    [LAND_CATEGORIES.LUC, 35],
    [LAND_CATEGORIES.CLN, 22],
    [LAND_CATEGORIES.BHK, 18],
    [LAND_CATEGORIES.RSX, 12],
    [LAND_CATEGORIES.NTS, 10],
    [LAND_CATEGORIES.TMD, 3],
  ]),
};

export const ORGANISATION_LAND = new WeightedTable<LandCategory>([
  [LAND_CATEGORIES.TMD, 45],
  [LAND_CATEGORIES.SKC, 40],
  [LAND_CATEGORIES.CLN, 8],
  [LAND_CATEGORIES.RSX, 7],
]);

/**
 * Certificate form series by year of issue (synthetic: each printing batch has its own two-letter
 * series, and some series contain Đ).
 */
export const CERTIFICATE_SERIES: readonly { fromYear: number; series: readonly string[] }[] = [
  { fromYear: 1995, series: ['AĐ', 'AH', 'AK'] },
  { fromYear: 2005, series: ['AL', 'AM', 'AO'] },
  { fromYear: 2010, series: ['BA', 'BĐ', 'BH', 'BK'] },
  { fromYear: 2015, series: ['CA', 'CĐ', 'CH', 'CS'] },
  { fromYear: 2020, series: ['CX', 'CY', 'DA', 'DB'] },
  { fromYear: 2025, series: ['DĐ', 'DE'] },
];

/** Lenders that take land use rights as collateral (each has branches in both provinces). */
export const LENDERS: readonly string[] = [
  'Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam',
  'Ngân hàng TMCP Đầu tư và Phát triển Việt Nam',
  'Ngân hàng TMCP Công Thương Việt Nam',
  'Ngân hàng TMCP Ngoại thương Việt Nam',
  'Ngân hàng Chính sách xã hội',
  'Ngân hàng TMCP Bưu điện Liên Việt',
];

/** "Thành phố Huế" → "Huế", "Tỉnh Quảng Trị" → "Quảng Trị". */
export function provinceShortName(provinceName: string): string {
  for (const prefix of ['Thành phố ', 'Tỉnh ']) {
    if (provinceName.startsWith(prefix)) return provinceName.slice(prefix.length);
  }
  return provinceName;
}

/** Invented street names for addresses in wards (as for residences). */
export { STREET_NAMES } from '../../population/simulator/synthetic-reference-data';
