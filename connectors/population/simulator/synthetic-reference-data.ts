import adminUnits from '../../../reference/admin-units.json';
import names from '../../../reference/names.json';
import { WeightedTable } from './seeded-random';

/**
 * Weighted tables for synthetic citizens, built once from the reference data. Where the data is
 * incomplete the gap is filled explicitly here (and said so), never guessed in the generator.
 */

export interface Commune {
  code: string;
  name: string;
  type: string;
  provinceCode: string;
  provinceName: string;
  /** Pre-2025 province this commune lay in, as the 3-digit birth-registration code. */
  formerProvinceCode: string;
}

type ShareItem = { name: string; sharePct: number | null };

function table(items: readonly ShareItem[]): WeightedTable<string> {
  return new WeightedTable(items.map((item) => [item.name, item.sharePct ?? 0] as const));
}

function splitCombined(national: readonly ShareItem[], sample: readonly ShareItem[]): [string, number][] {
  const sampleShare = new Map(sample.map((item) => [item.name, item.sharePct ?? 0]));
  const entries: [string, number][] = [];
  for (const item of national) {
    const share = item.sharePct ?? 0;
    const parts = item.name.split('/');
    if (parts.length === 1) {
      entries.push([item.name, share]);
      continue;
    }
    // The national figures merge Hoàng/Huỳnh and Vũ/Võ; split them in the proportions of the Đắk Lắk sample.
    const weights = parts.map((part) => sampleShare.get(part) ?? 0);
    const sum = weights.reduce((a, b) => a + b, 0);
    parts.forEach((part, i) => entries.push([part, sum > 0 ? (share * (weights[i] as number)) / sum : share / parts.length]));
  }
  return entries;
}

function buildFamilyNames(): WeightedTable<string> {
  const national = names.familyNames.national.items;
  const sample = names.familyNames.sampleDakLak.items;
  const entries = splitCombined(national, sample);
  // The national list covers ~90% of the population; spread the rest over the other family names
  // of the Đắk Lắk sample, in that sample's proportions.
  const listed = new Set(entries.map(([name]) => name));
  const rest = sample.filter((item) => !listed.has(item.name));
  const restShare = 100 - entries.reduce((sum, [, share]) => sum + share, 0);
  const restTotal = rest.reduce((sum, item) => sum + item.sharePct, 0);
  for (const item of rest) entries.push([item.name, (restShare * item.sharePct) / restTotal]);
  return new WeightedTable(entries);
}

function buildEthnicGroups(): WeightedTable<string> {
  const items = names.ethnicGroups.items as readonly ShareItem[];
  // 13 small groups have no census figure in the reference data: give them equal parts of the remainder.
  const known = items.reduce((sum, item) => sum + (item.sharePct ?? 0), 0);
  const unknown = items.filter((item) => item.sharePct === null);
  const each = unknown.length > 0 ? Math.max(100 - known, 0) / unknown.length : 0;
  return new WeightedTable(items.map((item) => [item.name, item.sharePct ?? each] as const));
}

export const FAMILY_NAMES = buildFamilyNames();
/**
 * Common family names that also appear as a first middle name (the mother's family name, as in
 * Nguyễn Lê Minh Anh): such a middle name needs a second one. Hoàng is left out because it is just
 * as common as an ordinary middle name (Nguyễn Hoàng Nam).
 */
export const FAMILY_NAME_WORDS: ReadonlySet<string> = new Set(
  splitCombined(names.familyNames.national.items, [])
    .map(([name]) => name)
    .filter((name) => name !== 'Hoàng'),
);

export const MIDDLE_NAMES = {
  MALE: table(names.middleNames.male),
  FEMALE: table(names.middleNames.female),
};
/** Second middle words (Thị Thu, Minh Quân): the first-middle tables without Văn/Thị and family names. */
export const SECOND_MIDDLE_NAMES = {
  MALE: table(names.middleNames.male.filter((item) => item.name !== 'Văn' && !FAMILY_NAME_WORDS.has(item.name))),
  FEMALE: table(names.middleNames.female.filter((item) => item.name !== 'Thị' && !FAMILY_NAME_WORDS.has(item.name))),
};

export const GIVEN_NAMES = {
  MALE: table(names.givenNames.male.items),
  FEMALE: table(names.givenNames.female.items),
};
/** Names of a younger sample (mostly students), used for part of those born from 2000. */
export const GIVEN_NAMES_YOUNGER = {
  MALE: table(names.givenNames.studentsMale.items),
  FEMALE: table(names.givenNames.studentsFemale.items),
};

export const ETHNIC_GROUPS = buildEthnicGroups();

const provinceNames2025 = new Map(adminUnits.provinces2025.map((p) => [p.code, p.name]));

// Quảng Trị (44) since 2025 = former Quảng Bình (044) + former Quảng Trị (045); commune codes are
// allocated by former province, and former Quảng Trị's start at 19330.
function formerProvinceOf(provinceCode: string, communeCode: string): string {
  if (provinceCode === '44') return Number(communeCode) < 19330 ? '044' : '045';
  return `0${provinceCode}`;
}

export const COMMUNES: readonly Commune[] = Object.entries(adminUnits.communeSamples).flatMap(([provinceCode, communes]) =>
  communes.map((commune) => ({
    code: commune.code,
    name: commune.name,
    type: commune.type,
    provinceCode,
    provinceName: provinceNames2025.get(provinceCode) ?? provinceCode,
    formerProvinceCode: formerProvinceOf(provinceCode, commune.code),
  })),
);

/** Where people live: wards are denser than rural communes; the Cồn Cỏ island district has a few hundred people. */
export const RESIDENCE_COMMUNES = new WeightedTable(
  COMMUNES.map((commune) => [commune, commune.type === 'phường' ? 1.6 : commune.type === 'xã' ? 1 : 0.02] as const),
);

export const PROVINCE_CODES_BEFORE_2025: readonly string[] = adminUnits.provincesBefore2025.map((p) => `0${p.code}`);
/** Provinces near Huế and Quảng Trị, as 3-digit birth-registration codes, for births registered nearby. */
export const NEIGHBOURING_BIRTH_PROVINCES: readonly string[] = ['040', '042', '044', '045', '046', '048', '049'];

/**
 * Synthetic street names for addresses in wards: names of historical figures found in most Vietnamese
 * towns. Which street runs through which ward is not in the reference data, so addresses are invented.
 */
export const STREET_NAMES: readonly string[] = [
  'Lê Lợi',
  'Trần Hưng Đạo',
  'Hùng Vương',
  'Lý Thường Kiệt',
  'Nguyễn Huệ',
  'Lê Duẩn',
  'Phan Bội Châu',
  'Hai Bà Trưng',
  'Nguyễn Trãi',
  'Quang Trung',
  'Trần Phú',
  'Lê Thánh Tông',
  'Điện Biên Phủ',
  'Ngô Quyền',
  'Phan Chu Trinh',
  'Nguyễn Du',
  'Bà Triệu',
  'Đống Đa',
  'Hàm Nghi',
  'Nguyễn Chí Thanh',
  'Tôn Đức Thắng',
  'Võ Thị Sáu',
  'Lê Lai',
  'Nguyễn Văn Cừ',
];
