import { Arg, Ctx, Field, FieldResolver, GraphQLISODateTime, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { requireClient } from '../domain/access/access-policy';
import type { HubContext } from './context';
import { requireDossierBasis } from './personal-data-basis';
import { LandParcelInput } from './types/dossier.input';

@ObjectType({ description: 'A held document that satisfies a paper now.' })
export class ReusableDocument {
  @Field({ description: 'The document code to name in receiveDossier’s components.' })
  code!: string;

  @Field(() => String, { nullable: true, description: 'Its document type (e.g. BIRTH_CERTIFICATE).' })
  typeCode!: string | null;

  @Field({ description: 'E-identifier code of the agency that issued (or digitized) it.' })
  issuingAgencyCode!: string;

  @Field(() => GraphQLISODateTime)
  issuedAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Past this instant it no longer counts (null: does not expire).' })
  validUntil!: Date | null;

  @Field({ description: 'DESK_SCAN, DOSSIER_RESULT or REGISTRY_EXTRACT.' })
  source!: string;
}

@ObjectType({ description: 'What a registry holds for a paper, asked now.' })
export class RegistryReuse {
  @Field({ description: 'population, business or land.' })
  registry!: string;

  @Field({ description: 'The fact it confirms (e.g. identity, currentResidence, landUseRight).' })
  attribute!: string;

  @Field({ description: 'CONFIRMED, NOT_IN_REGISTRY or REGISTRY_UNAVAILABLE.' })
  outcome!: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the fact last changed in the registry (its freshness).' })
  lastUpdatedAt!: Date | null;
}

@ObjectType({ description: 'A paper of the procedure and what already satisfies it.' })
export class ReusablePaperView {
  @Field()
  requirementCode!: string;

  @Field()
  name!: string;

  @Field()
  kind!: string;

  @Field(() => Int)
  quantity!: number;

  @Field()
  required!: boolean;

  @Field(() => [String], { description: 'Document types a held document may have to satisfy it.' })
  acceptedDocumentTypes!: string[];

  @Field(() => [ReusableDocument], { description: 'The applicant’s valid held documents of an accepted type, newest first.' })
  documents!: ReusableDocument[];

  @Field(() => RegistryReuse, { nullable: true, description: 'The registry backing it and its answer now; null when none does.' })
  registry!: RegistryReuse | null;

  @Field({ description: 'Nothing held satisfies it: the applicant brings it (when required or in its situation).' })
  stillNeeded!: boolean;
}

@Resolver(() => ReusableDocument)
export class ReusableDocumentsResolver {
  @Query(() => [ReusablePaperView], {
    description:
      'Per paper of a procedure, what the state already holds that satisfies it (held documents, registry facts) and what is still needed. Personal data: the legal basis is a dossier of this applicant your agency received or handles (dossierCode), or reception at your own desk; written to the processing log.',
  })
  async reusableDocuments(
    @Arg('applicantId', () => String) applicantId: string,
    @Arg('procedureCode', () => String) procedureCode: string,
    @Ctx() context: HubContext,
    @Arg('dossierCode', () => String, { nullable: true }) dossierCode?: string | null,
    @Arg('consentToken', () => String, { nullable: true }) consentToken?: string | null,
    @Arg('landParcel', () => LandParcelInput, { nullable: true, description: 'The parcel, for papers the land registry backs.' })
    landParcel?: LandParcelInput | null,
  ): Promise<ReusablePaperView[]> {
    const { principal, services } = context;
    requireClient(principal);
    let basis: string;
    // A basis named, even empty, is checked as named: only its absence means reception at the caller's desk.
    if ((dossierCode !== null && dossierCode !== undefined) || (consentToken !== null && consentToken !== undefined)) {
      const dossier = await requireDossierBasis(
        context,
        { dossierCode, consentToken },
        { matches: (d) => d.applicantId === applicantId, what: 'this applicant' },
      );
      basis = `dossier:${dossier.code}`;
    } else {
      context.authorize({ action: 'personal-data.read', basis: { kind: 'reception', agencyCode: principal.agencyCode ?? '' } });
      basis = `reception:${principal.agencyCode}`;
    }
    const { papers, reads } = await services.dossiers.reusableFor(applicantId, procedureCode, landParcel ?? undefined);
    // One entry for the whole answer: the vault read and every registry asked.
    context.recordProcessing({
      action: 'personal-data.read',
      subject: services.audit.subjectRef(applicantId),
      basis,
      details: {
        fields: ['reusableDocuments'],
        procedureCode,
        documents: papers.reduce((n, p) => n + p.documents.length, 0),
        registryReads: reads,
      },
    });
    return papers.map((p) => ({
      requirementCode: p.requirement.code,
      name: p.requirement.name,
      kind: p.requirement.kind,
      quantity: p.requirement.quantity,
      required: p.requirement.required,
      acceptedDocumentTypes: [...(p.requirement.acceptedDocumentTypes ?? [])],
      documents: p.documents.map((d) => ({
        code: d.code,
        typeCode: d.typeCode,
        issuingAgencyCode: d.issuingAgencyCode,
        issuedAt: d.issuedAt,
        validUntil: d.validUntil,
        source: d.source,
      })),
      registry: p.registry
        ? {
            registry: p.registry.fact.registry,
            attribute: p.registry.fact.attribute,
            outcome: p.registry.confirmation.outcome,
            lastUpdatedAt: p.registry.confirmation.outcome === 'CONFIRMED' ? p.registry.confirmation.lastUpdatedAt : null,
          }
        : null,
      stillNeeded: p.stillNeeded,
    }));
  }

  @FieldResolver(() => String, {
    description:
      'Its signature checked now against the trust anchors and revocation lists (PASSED, FAILED, INDETERMINATE); computed only when asked.',
  })
  async verification(@Root() document: ReusableDocument, @Ctx() { services }: HubContext): Promise<string> {
    const { content, signature } = await services.documents.content(document.code);
    return (await services.verifier.verify(content, signature)).indication;
  }
}
