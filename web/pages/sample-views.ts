import type { AttributeView, ConsentPageView, MyDataPageView } from '../citizen-pages.views';

/** Views as the routes build them, for the pages' tests and the page-weight check. */
export const ATTRIBUTES: AttributeView[] = [
  { scope: 'population.fullName', label: { vi: 'Họ, chữ đệm và tên', en: 'Full name' }, source: 'population' },
  { scope: 'population.dateOfBirth', label: { vi: 'Ngày, tháng, năm sinh', en: 'Date of birth' }, source: 'population' },
  { scope: 'population.sex', label: { vi: 'Giới tính', en: 'Sex' }, source: 'population' },
  { scope: 'population.ethnicity', label: { vi: 'Dân tộc', en: 'Ethnicity' }, source: 'population' },
  { scope: 'population.nationality', label: { vi: 'Quốc tịch', en: 'Nationality' }, source: 'population' },
  { scope: 'population.permanentResidence', label: { vi: 'Nơi thường trú', en: 'Permanent residence' }, source: 'population' },
  { scope: 'population.currentResidence', label: { vi: 'Nơi ở hiện tại', en: 'Current residence' }, source: 'population' },
  { scope: 'population.householdId', label: { vi: 'Số hộ khẩu', en: 'Household id' }, source: 'population' },
  { scope: 'population.maritalStatus', label: { vi: 'Tình trạng hôn nhân', en: 'Marital status' }, source: 'population' },
  { scope: 'land.parcels', label: { vi: 'Thửa đất đang sử dụng', en: 'Land parcels held' }, source: 'land' },
  { scope: 'business.enterprises', label: { vi: 'Doanh nghiệp đang đại diện', en: 'Enterprises represented' }, source: 'business' },
];

export const CITIZEN = { name: 'Nguyễn Văn An', maskedPersonalId: '0010•••••123', acr: 'urn:vneid:loa:2' };

export function sampleConsentView(overrides: Partial<ConsentPageView> = {}): ConsentPageView {
  return {
    lang: 'vi',
    action: '/consent/review/req-1',
    csrf: 'csrf-token-1',
    citizen: CITIZEN,
    client: { clientId: 'demo-portal', name: 'Cổng dịch vụ công tỉnh' },
    procedure: { code: '1.001193', name: 'Đăng ký khai sinh' },
    purpose: {
      code: 'prefill:1.001193',
      description: { vi: 'Điền sẵn tờ khai đăng ký khai sinh', en: 'Fill in the birth registration form' },
    },
    attributes: ATTRIBUTES,
    notAfter: new Date('2026-12-31T10:30:00Z'),
    dataLifeSeconds: 86_400,
    ...overrides,
  };
}

export function sampleMyDataView(overrides: Partial<MyDataPageView> = {}, reads = 50): MyDataPageView {
  return {
    lang: 'vi',
    citizen: CITIZEN,
    csrf: 'csrf-token-2',
    consents: [
      {
        id: 'c-1',
        client: { clientId: 'demo-portal', name: 'Cổng dịch vụ công tỉnh' },
        procedure: { code: '1.001193', name: 'Đăng ký khai sinh' },
        purpose: {
          code: 'prefill:1.001193',
          description: { vi: 'Điền sẵn tờ khai thủ tục đăng ký khai sinh', en: 'Prefill the declaration of procedure 1.001193' },
        },
        attributes: ATTRIBUTES.slice(0, 3),
        issuedAt: new Date('2026-12-01T01:00:00Z'),
        notAfter: new Date('2026-12-31T01:00:00Z'),
        dataLifeSeconds: 30 * 86_400,
        status: 'GRANTED',
        revokedAt: null,
        revokeAction: '/my-data/consents/c-1/revoke',
      },
      {
        id: 'c-0',
        client: { clientId: 'demo-portal', name: 'Cổng dịch vụ công tỉnh' },
        procedure: { code: '1.004873', name: 'Cấp giấy xác nhận tình trạng hôn nhân' },
        purpose: {
          code: 'prefill:1.004873',
          description: {
            vi: 'Điền sẵn tờ khai thủ tục cấp giấy xác nhận tình trạng hôn nhân',
            en: 'Prefill the declaration of procedure 1.004873',
          },
        },
        attributes: ATTRIBUTES.slice(8, 9),
        issuedAt: new Date('2026-11-01T01:00:00Z'),
        notAfter: new Date('2026-11-30T01:00:00Z'),
        dataLifeSeconds: 3_600,
        status: 'REVOKED',
        revokedAt: new Date('2026-11-02T01:00:00Z'),
      },
    ],
    reads: Array.from({ length: reads }, (_, i) => ({
      at: new Date(Date.UTC(2026, 11, 3, 12, 0) - i * 3_600_000),
      who: { id: 'demo-portal', name: 'Cổng dịch vụ công tỉnh' },
      what: ATTRIBUTES.slice(0, 2).map((a) => ({ key: a.scope, label: a.label })),
      why:
        i % 2 === 0 ? { kind: 'consent' as const, consentId: 'c-1' } : { kind: 'legal-basis' as const, basis: 'Luật Cư trú 2020, Điều 37' },
      action: 'prefill',
    })),
    nextReadsHref: '/my-data?before=abc',
    signOutAction: '/auth/sign-out',
    ...overrides,
  };
}
