import type { LandParcelId } from '../domain/identifiers/land-parcel-id';
import type { HubContext } from './context';
import type { LandParcel } from './types/land-parcel.type';

/** A land registry record as the connector gives it (a long-term use has no end date). */
export interface ParcelRecord extends Omit<LandParcel, 'landUseTerm'> {
  landUseTerm: { kind: LandParcel['landUseTerm']['kind']; endDate?: string };
}

export function toLandParcel(record: ParcelRecord): LandParcel {
  return { ...record, landUseTerm: { kind: record.landUseTerm.kind, endDate: record.landUseTerm.endDate ?? null } };
}

/**
 * Reads a parcel for a caller already authorised on the basis of `dossierCode`, and writes the read
 * to the processing log once per citizen holding a right to it.
 */
export async function readParcel(context: HubContext, id: LandParcelId, dossierCode: string, field: string): Promise<LandParcel> {
  const record = (await context.loaders.landParcels.load(id)) as unknown as ParcelRecord;
  readParcelOn(context, record, `dossier:${dossierCode}`, field);
  return toLandParcel(record);
}

/** Writes a parcel read to the processing log, once per citizen holding a right to it. */
export function readParcelOn(context: HubContext, record: ParcelRecord, basis: string, field: string, consentId?: string): void {
  for (const owner of record.owners) {
    if (owner.ownerKind !== 'CITIZEN') continue;
    context.recordProcessing({
      action: 'personal-data.read',
      subject: context.services.audit.subjectRef(owner.ownerId),
      basis,
      details: consentId ? { fields: [field], source: 'land-registry', consentId } : { fields: [field], source: 'land-registry' },
    });
  }
}
