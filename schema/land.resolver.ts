import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { requireLandParcelId } from '../domain/identifiers/land-parcel-id';
import type { HubContext } from './context';
import { readParcel } from './land-parcel-read';
import { requireDossierBasis } from './personal-data-basis';
import { LandParcel } from './types/land-parcel.type';

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
