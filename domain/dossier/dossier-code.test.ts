import { InvalidInputError } from '../errors';
import { fromVietnamLocal } from '../time/vietnam-time';
import { formatDossierCode, parseDossierCode, requireDossierCode } from './dossier-code';

describe('dossier code (Circular 01/2018/TT-VPCP art. 19)', () => {
  it('formats agency, Vietnam reception date and a 4-digit sequence', () => {
    expect(formatDossierCode('H15.50.05.13', fromVietnamLocal(2026, 10, 8, 9, 0), 975)).toBe('H15.50.05.13-261008-0975');
  });

  it('uses the Vietnam calendar day, not UTC', () => {
    // 23:30 UTC on 7 Oct is 06:30 on 8 Oct in Vietnam.
    expect(formatDossierCode('000.00.01.H22', new Date('2026-10-07T23:30:00Z'), 1)).toBe('000.00.01.H22-261008-0001');
  });

  it('grows the sequence beyond 4 digits when volume needs it', () => {
    expect(formatDossierCode('G09.20', fromVietnamLocal(2026, 1, 2), 12345)).toBe('G09.20-260102-12345');
  });

  it('parses what it formats', () => {
    expect(parseDossierCode('H15.50.05.13-261008-0975')).toEqual({ agencyCode: 'H15.50.05.13', receptionDate: '261008', sequence: 975 });
  });

  it.each([
    '',
    'H15.50.05.13-261308-0975',
    'H15.50.05.13-261008-97',
    'h15.50-261008-0975',
    "x'; drop table dossier;--",
    'H15..50-261008-0001',
  ])('rejects %p', (value) => {
    expect(parseDossierCode(value)).toBeUndefined();
    expect(() => requireDossierCode(value)).toThrow(InvalidInputError);
  });

  it('refuses bad agency codes and sequences', () => {
    expect(() => formatDossierCode('bad code', new Date(), 1)).toThrow(InvalidInputError);
    expect(() => formatDossierCode('G09.20', new Date(), 0)).toThrow(InvalidInputError);
  });
});
