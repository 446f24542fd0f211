import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { requireLandParcelId, type LandParcelId } from '../domain/identifiers/land-parcel-id';
import type { HubContext } from './context';
import { toLandParcel, type ParcelRecord } from './land.mapper';
import { requireDossierBasis } from './personal-data-basis';
import { Dossier } from './types/dossier.type';
import { LandParcel } from './types/land-parcel.type';

/** Reads a parcel on an authorised basis and writes the read to the processing log, once per citizen holder. */
async function readParcel(context: HubContext, id: LandParcelId, dossierCode: string, field: string): Promise<LandParcel> {
  const record = (await context.loaders.landParcels.load(id)) as unknown as ParcelRecord;
  for (const owner of record.owners) {
    if (owner.ownerKind !== 'CITIZEN') continue;
    context.recordProcessing({
      action: 'personal-data.read',
      subject: context.services.audit.subjectRef(owner.ownerId),
      basis: `dossier:${dossierCode}`,
      details: { fields: [field], source: 'land-registry' },
    });
  }
  return toLandParcel(record);
}

@Resolver(() => Dossier)
export class DossierLandResolver {
  @FieldResolver(() => LandParcel, {
    nullable: true,
    description:
      'The land parcel the dossier concerns, as recorded in the land registry (null when it names none). Its holders are personal data: needs a legal basis.',
  })
  async landParcel(@Root() dossier: Dossier, @Ctx() context: HubContext): Promise<LandParcel | null> {
    if (!dossier.landParcelId) return null;
    context.authorize({ action: 'personal-data.read', basis: { kind: 'dossier', dossier: dossier.scope } });
    return readParcel(context, dossier.landParcelId, dossier.code, 'Dossier.landParcel');
  }
}

@Resolver()
export class LandResolver {
  @Query(() => LandParcel, {
    description:
      'A land parcel from the land registry. Its holders are personal data: give the code of a dossier about this parcel that your agency received or handles (the legal basis).',
  })
  async landParcel(
    @Arg('communeCode', () => String) communeCode: string,
    @Arg('mapSheetNumber', () => Int) mapSheetNumber: number,
    @Arg('parcelNumber', () => Int) parcelNumber: number,
    @Ctx() context: HubContext,
    @Arg('dossierCode', () => String, { nullable: true }) dossierCode?: string | null,
    @Arg('consentToken', () => String, { nullable: true }) consentToken?: string | null,
  ): Promise<LandParcel> {
    const id = requireLandParcelId({ communeCode, mapSheetNumber, parcelNumber }, 'landParcel');
    const dossier = await requireDossierBasis(
      context,
      { dossierCode, consentToken },
      {
        matches: (candidate) =>
          candidate.landCommuneCode === id.communeCode &&
          candidate.landMapSheetNumber === id.mapSheetNumber &&
          candidate.landParcelNumber === id.parcelNumber,
        what: 'this land parcel',
      },
    );
    return readParcel(context, id, dossier.code, 'Query.landParcel');
  }
}
