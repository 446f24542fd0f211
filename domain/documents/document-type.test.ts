import { validUntilOf, type DocumentValidity } from './document-type';

// Instants in Vietnam time (UTC+7), as documents are dated.
const vn = (local: string): Date => new Date(`${local}+07:00`);

describe('validUntilOf', () => {
  const stated = vn('2031-05-20T00:00:00');
  it.each<[string, DocumentValidity, Date, Date | null, Date | null]>([
    ['never expires', { kind: 'never-expires' }, vn('2020-01-01T09:00:00'), stated, null],
    ['stated on the document', { kind: 'stated-on-document' }, vn('2020-01-01T09:00:00'), stated, stated],
    ['stated but missing', { kind: 'stated-on-document' }, vn('2020-01-01T09:00:00'), null, null],
    ['6 months', { kind: 'expires-after-months', months: 6 }, vn('2026-03-15T10:30:00'), null, vn('2026-09-15T10:30:00')],
    [
      '1 month from 31 January: end of February',
      { kind: 'expires-after-months', months: 1 },
      vn('2026-01-31T08:00:00'),
      null,
      vn('2026-02-28T08:00:00'),
    ],
    [
      '6 months from 1 March just after midnight, Vietnam date',
      { kind: 'expires-after-months', months: 6 },
      vn('2026-03-01T00:30:00'),
      null,
      vn('2026-09-01T00:30:00'),
    ],
    ['30 days', { kind: 'expires-after-days', days: 30 }, vn('2026-12-01T14:00:00'), null, vn('2026-12-31T14:00:00')],
  ])('%s', (_case, validity, issuedAt, statedValidUntil, expected) => {
    expect(validUntilOf(validity, issuedAt, statedValidUntil)).toEqual(expected);
  });
});
