import { POPULATION_FRESHNESS, recordLifetimeSeconds, type FreshnessPolicy } from './attribute-freshness';

const FETCHED = new Date('2026-11-23T10:00:00Z');
const POLICY: FreshnessPolicy = { ageShare: 0.1, maxAgeSeconds: { dateOfBirth: 86_400, currentResidence: 300 }, defaultMaxAgeSeconds: 120 };
const ago = (seconds: number) => new Date(FETCHED.getTime() - seconds * 1000).toISOString();

describe('recordLifetimeSeconds', () => {
  it('reuses long-unchanged attributes up to their own cap and the operator limit', () => {
    const updates = [{ attribute: 'dateOfBirth', updatedAt: ago(10 * 365 * 86_400) }];
    expect(recordLifetimeSeconds(updates, FETCHED, POLICY, 3_600)).toBe(3_600);
    expect(recordLifetimeSeconds(updates, FETCHED, POLICY, 1_000_000)).toBe(86_400);
  });

  it('reuses a recently changed attribute for a tenth of its age', () => {
    const updates = [
      { attribute: 'dateOfBirth', updatedAt: ago(10 * 365 * 86_400) },
      { attribute: 'currentResidence', updatedAt: ago(600) },
    ];
    expect(recordLifetimeSeconds(updates, FETCHED, POLICY, 3_600)).toBe(60);
  });

  it('caps a volatile attribute however old its last change', () => {
    const updates = [{ attribute: 'currentResidence', updatedAt: ago(5 * 365 * 86_400) }];
    expect(recordLifetimeSeconds(updates, FETCHED, POLICY, 3_600)).toBe(300);
  });

  it('uses the default cap for an attribute without one', () => {
    expect(recordLifetimeSeconds([{ attribute: 'religion', updatedAt: ago(86_400) }], FETCHED, POLICY, 3_600)).toBe(120);
  });

  it('treats a change just now, in the future or at an unreadable time as not reusable', () => {
    for (const updatedAt of [ago(0), ago(-3_600), 'not a date']) {
      expect(recordLifetimeSeconds([{ attribute: 'fullName', updatedAt }], FETCHED, POLICY, 3_600)).toBe(0);
    }
  });

  it('never reuses when the operator limit is 0, and uses the limit when no update times are given', () => {
    expect(recordLifetimeSeconds([{ attribute: 'dateOfBirth', updatedAt: ago(1e9) }], FETCHED, POLICY, 0)).toBe(0);
    expect(recordLifetimeSeconds([], FETCHED, POLICY, 45)).toBe(45);
  });

  it('gives identity facts a longer cap than residence in the population policy', () => {
    expect(POPULATION_FRESHNESS.maxAgeSeconds.dateOfBirth!).toBeGreaterThan(POPULATION_FRESHNESS.maxAgeSeconds.currentResidence!);
  });
});
