import { keepUntil, mayServeCached } from './data-life';

const READ = new Date('2026-12-03T03:00:00Z');
const later = (ms: number) => new Date(READ.getTime() + ms);

describe('data life', () => {
  it('keepUntil: the time the hub read the value plus the data life; null without a value', () => {
    expect(keepUntil('Nguyễn Văn An', READ, 3_600)).toEqual(later(3_600_000));
    expect(keepUntil('[]', READ, 0)).toEqual(READ);
    expect(keepUntil(null, READ, 3_600)).toBeNull();
    expect(keepUntil('x', null, 3_600)).toBeNull();
  });

  it('keepUntil: a negative data life (never granted, a crafted record) keeps nothing beyond the read', () => {
    expect(keepUntil('x', READ, -60)).toEqual(READ);
  });

  it.each<[string, number, number, boolean]>([
    ['just fetched, data life an hour', 0, 3_600, true],
    ['59 s old, data life 60 s', 59_000, 60, true],
    ['exactly the data life old: no longer served', 60_000, 60, false],
    ['older than the data life', 61_000, 60, false],
    ['data life 0: never from the cache, even just fetched', 0, 0, false],
  ])('mayServeCached: %s', (_label, ageMs, dataLifeSeconds, expected) => {
    expect(mayServeCached(READ, later(ageMs), dataLifeSeconds)).toBe(expected);
  });
});
