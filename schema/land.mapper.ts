import type { LandParcel } from './types/land-parcel.type';

/** A land registry record as the connector gives it (a long-term use has no end date). */
export interface ParcelRecord extends Omit<LandParcel, 'landUseTerm'> {
  landUseTerm: { kind: LandParcel['landUseTerm']['kind']; endDate?: string };
}

export function toLandParcel(record: ParcelRecord): LandParcel {
  return { ...record, landUseTerm: { kind: record.landUseTerm.kind, endDate: record.landUseTerm.endDate ?? null } };
}
