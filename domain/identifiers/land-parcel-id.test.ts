import { formatLandParcelId, parseLandParcelId, requireLandParcelId } from './land-parcel-id';

describe('land parcel id', () => {
  it('accepts a commune code, a map sheet and a parcel number', () => {
    expect(parseLandParcelId({ communeCode: '19753', mapSheetNumber: 12, parcelNumber: 345 })).toEqual({
      ok: true,
      value: { communeCode: '19753', mapSheetNumber: 12, parcelNumber: 345 },
    });
    expect(parseLandParcelId({ communeCode: '00004', mapSheetNumber: 9999, parcelNumber: 99999 }).ok).toBe(true);
  });

  it.each([
    [{ communeCode: '1975', mapSheetNumber: 1, parcelNumber: 1 }, 'COMMUNE_CODE'],
    [{ communeCode: '197531', mapSheetNumber: 1, parcelNumber: 1 }, 'COMMUNE_CODE'],
    [{ communeCode: 19753, mapSheetNumber: 1, parcelNumber: 1 }, 'COMMUNE_CODE'],
    [{ communeCode: '1975a', mapSheetNumber: 1, parcelNumber: 1 }, 'COMMUNE_CODE'],
    [{ communeCode: '19753', mapSheetNumber: 0, parcelNumber: 1 }, 'MAP_SHEET_NUMBER'],
    [{ communeCode: '19753', mapSheetNumber: 1.5, parcelNumber: 1 }, 'MAP_SHEET_NUMBER'],
    [{ communeCode: '19753', mapSheetNumber: 10000, parcelNumber: 1 }, 'MAP_SHEET_NUMBER'],
    [{ communeCode: '19753', mapSheetNumber: '12', parcelNumber: 1 }, 'MAP_SHEET_NUMBER'],
    [{ communeCode: '19753', mapSheetNumber: 12, parcelNumber: -3 }, 'PARCEL_NUMBER'],
    [{ communeCode: '19753', mapSheetNumber: 12, parcelNumber: 100000 }, 'PARCEL_NUMBER'],
    [{ communeCode: '19753', mapSheetNumber: 12, parcelNumber: Number.NaN }, 'PARCEL_NUMBER'],
  ])('rejects %p as %s', (input, issue) => {
    const result = parseLandParcelId(input);
    expect(result).toMatchObject({ ok: false, issue });
    if (!result.ok) expect(result.reason).toMatch(/\d/);
  });

  it('formats one key per parcel', () => {
    expect(formatLandParcelId({ communeCode: '19753', mapSheetNumber: 12, parcelNumber: 345 })).toBe('19753/12/345');
  });
});

describe('requireLandParcelId', () => {
  it('returns the parcel id or a typed error naming the field', () => {
    expect(requireLandParcelId({ communeCode: '19753', mapSheetNumber: 12, parcelNumber: 345 }).parcelNumber).toBe(345);
    expect(() => requireLandParcelId({ communeCode: '19753', mapSheetNumber: 0, parcelNumber: 1 }, 'filter.landParcel')).toThrow(
      expect.objectContaining({
        code: 'BAD_USER_INPUT',
        reason: 'LAND_PARCEL.INVALID_MAP_SHEET_NUMBER',
        details: { field: 'filter.landParcel' },
      }),
    );
  });
});
