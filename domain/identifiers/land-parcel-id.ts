/**
 * A land parcel is identified by its commune (5-digit code of the administrative unit since
 * 1 July 2025), the cadastral map sheet number (tờ bản đồ số) and the parcel number on that sheet
 * (thửa đất số).
 */
import { InvalidInputError } from '../errors';

export interface LandParcelId {
  communeCode: string;
  mapSheetNumber: number;
  parcelNumber: number;
}

export type LandParcelIdIssue = 'COMMUNE_CODE' | 'MAP_SHEET_NUMBER' | 'PARCEL_NUMBER';

export type LandParcelIdParseResult = { ok: true; value: LandParcelId } | { ok: false; issue: LandParcelIdIssue; reason: string };

/** Map sheets and parcels are numbered from 1; these bounds are far above any commune's cadastral map. */
export const MAX_MAP_SHEET_NUMBER = 9_999;
export const MAX_PARCEL_NUMBER = 99_999;

const isWhole = (value: unknown, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max;

export function parseLandParcelId(input: {
  communeCode: unknown;
  mapSheetNumber: unknown;
  parcelNumber: unknown;
}): LandParcelIdParseResult {
  if (typeof input.communeCode !== 'string' || !/^\d{5}$/.test(input.communeCode)) {
    return { ok: false, issue: 'COMMUNE_CODE', reason: 'The commune code of a land parcel has 5 digits (e.g. 19753).' };
  }
  if (!isWhole(input.mapSheetNumber, MAX_MAP_SHEET_NUMBER)) {
    return {
      ok: false,
      issue: 'MAP_SHEET_NUMBER',
      reason: `The map sheet number (tờ bản đồ số) is a whole number from 1 to ${MAX_MAP_SHEET_NUMBER}.`,
    };
  }
  if (!isWhole(input.parcelNumber, MAX_PARCEL_NUMBER)) {
    return {
      ok: false,
      issue: 'PARCEL_NUMBER',
      reason: `The parcel number (thửa đất số) is a whole number from 1 to ${MAX_PARCEL_NUMBER}.`,
    };
  }
  return {
    ok: true,
    value: { communeCode: input.communeCode, mapSheetNumber: input.mapSheetNumber, parcelNumber: input.parcelNumber },
  };
}

/** `19753/12/345`: commune, map sheet, parcel; one key per parcel (caches, logs of counts). */
export function formatLandParcelId(id: LandParcelId): string {
  return `${id.communeCode}/${id.mapSheetNumber}/${id.parcelNumber}`;
}

/** The parcel id, or an officer-readable BAD_USER_INPUT naming the field that is wrong. */
export function requireLandParcelId(
  input: { communeCode: unknown; mapSheetNumber: unknown; parcelNumber: unknown },
  field = 'landParcel',
): LandParcelId {
  const parsed = parseLandParcelId(input);
  if (!parsed.ok) throw new InvalidInputError(parsed.reason, { reason: `LAND_PARCEL.INVALID_${parsed.issue}`, details: { field } });
  return parsed.value;
}
