import type { ConsentAttribute } from './consent';

/** What the citizen reads for each consent attribute (Vietnamese first), and the registry it comes from. */
export const ATTRIBUTE_LABELS: Record<ConsentAttribute, { vi: string; en: string; source: 'population' | 'land' | 'business' }> = {
  'population.fullName': { vi: 'Họ, chữ đệm và tên', en: 'Full name', source: 'population' },
  'population.dateOfBirth': { vi: 'Ngày, tháng, năm sinh', en: 'Date of birth', source: 'population' },
  'population.sex': { vi: 'Giới tính', en: 'Sex', source: 'population' },
  'population.ethnicity': { vi: 'Dân tộc', en: 'Ethnicity', source: 'population' },
  'population.nationality': { vi: 'Quốc tịch', en: 'Nationality', source: 'population' },
  'population.permanentResidence': { vi: 'Nơi thường trú', en: 'Permanent residence', source: 'population' },
  'population.currentResidence': { vi: 'Nơi ở hiện tại', en: 'Current residence', source: 'population' },
  'population.householdId': { vi: 'Số hộ khẩu (mã hộ)', en: 'Household id', source: 'population' },
  'population.maritalStatus': { vi: 'Tình trạng hôn nhân', en: 'Marital status', source: 'population' },
  'land.parcels': { vi: 'Thửa đất đứng tên', en: 'Land parcels held', source: 'land' },
  'business.enterprises': { vi: 'Doanh nghiệp làm người đại diện', en: 'Enterprises represented', source: 'business' },
};

/** A label for an attribute or a logged field name; unknown keys are shown as they are. */
export function labelOf(key: string): { vi: string; en: string } {
  const known = (ATTRIBUTE_LABELS as Record<string, { vi: string; en: string } | undefined>)[key];
  return known ? { vi: known.vi, en: known.en } : { vi: key, en: key };
}
