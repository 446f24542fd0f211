import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { requireLandParcelId } from '../domain/identifiers/land-parcel-id';
import { ConsentRequiredError } from '../domain/errors';
import type { HubContext } from './context';
import { readParcelOn, toLandParcel, type ParcelRecord } from './land-parcel-read';
import { requirePersonalDataBasis } from './personal-data-basis';
import { LandParcel } from './types/land-parcel.type';

@Resolver()
export class LandResolver {
  @Query(() => LandParcel, {
    description:
      'A land parcel from the land registry. Its holders are personal data: give the code of a dossier about this parcel that your agency received or handles (the legal basis), or the consent token of a citizen holding it (attribute land.parcels).',
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
    const basis = await requirePersonalDataBasis(
      context,
      { dossierCode, consentToken },
      {
        matches: (candidate) =>
          candidate.landCommuneCode === id.communeCode &&
          candidate.landMapSheetNumber === id.mapSheetNumber &&
          candidate.landParcelNumber === id.parcelNumber,
        what: 'this land parcel',
        attributes: ['land.parcels'],
      },
    );
    if (basis.kind === 'consent') {
      // A citizen consents to their own parcels only: the consent's subject must hold a right to it.
      // No registry answer the hub cached longer ago than the consent's data life.
      const record = (await context.loaders.underConsent(basis.consent.dataLifeSeconds).landParcels.load(id)) as unknown as ParcelRecord;
      const holds = record.owners.some((o) => o.ownerKind === 'CITIZEN' && context.services.consents.isSubject(basis.consent, o.ownerId));
      if (!holds) {
        throw new ConsentRequiredError('The citizen who gave this consent holds no right to this parcel.', {
          reason: 'CONSENT.WRONG_SUBJECT',
        });
      }
      readParcelOn(context, record, basis.ref, 'Query.landParcel', basis.consent.id);
      return toLandParcel(record);
    }
    const record = (await context.loaders.landParcels.load(id)) as unknown as ParcelRecord;
    readParcelOn(context, record, basis.ref, 'Query.landParcel');
    return toLandParcel(record);
  }
}
