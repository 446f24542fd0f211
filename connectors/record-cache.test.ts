import { RecordCache } from './record-cache';

const FETCHED = new Date('2026-12-03T03:00:00Z');

describe('RecordCache', () => {
  it('serves a record to a caller that accepts when it was fetched, and to no other', () => {
    const cache = new RecordCache<{ id: string }>({ limitSeconds: 3_600 });
    const record = { id: 'a' };
    cache.remember('a', record, FETCHED);
    expect(cache.get('a')).toBe(record);
    const seen: Date[] = [];
    expect(cache.get('a', (fetchedAt) => (seen.push(fetchedAt), true))).toBe(record);
    expect(seen).toEqual([FETCHED]);
    expect(cache.get('a', () => false)).toBeUndefined();
    // Refused for one read, still there for the next.
    expect(cache.get('a')).toBe(record);
  });

  it('keeps nothing when caching is off or the record’s lifetime is under a second', () => {
    const off = new RecordCache<{ id: string }>({ limitSeconds: 0 });
    off.remember('a', { id: 'a' }, FETCHED);
    expect(off.get('a')).toBeUndefined();
    const short = new RecordCache<{ id: string }>({ limitSeconds: 60, lifetimeSeconds: () => 0.5 });
    short.remember('a', { id: 'a' }, FETCHED);
    expect(short.get('a')).toBeUndefined();
  });
});
