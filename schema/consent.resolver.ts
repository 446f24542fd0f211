import { Arg, Ctx, Field, GraphQLISODateTime, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { requireClient } from '../domain/access/access-policy';
import { prefillPurpose, type ConsentAttribute, type ConsentRecord } from '../domain/consent/consent';
import {
  buildPrefill,
  registriesToAsk,
  type PrefillFieldDefinition,
  type PrefillRegistry,
  type RegistryAnswer,
} from '../domain/consent/prefill';
import { HubError, NotFoundError } from '../domain/errors';
import { shippedPrefillFields } from '../platform/prefill-fields';
import type { HubContext } from './context';

@InputType({ description: "A citizen's consent to the calling portal reading some registry attributes for one procedure." })
export class GrantConsentInput {
  @Field({
    description: "The citizen's ID token from the national identity provider (signature, issuer, audience, expiry and acr are checked).",
  })
  idToken!: string;

  @Field(() => [String], { description: 'One scope per attribute, e.g. population.fullName, population.currentResidence, land.parcels.' })
  attributes!: string[];

  @Field({ description: 'A purpose registered for the calling client, e.g. prefill:1.001193.' })
  purpose!: string;

  @Field({ description: 'The procedure the consent is for.' })
  procedureCode!: string;

  @Field(() => GraphQLISODateTime, { description: 'The consent holds until this instant (at most a year).' })
  notAfter!: Date;

  @Field(() => Int, { description: 'How long the portal may keep the data it reads, in seconds.' })
  dataLifeSeconds!: number;
}

@ObjectType({ description: 'A consent record (never the personal id: the citizen is known to it by a pseudonym).' })
export class Consent {
  @Field()
  id!: string;

  @Field({ description: 'The client the consent is bound to: only its access tokens may present it.' })
  clientId!: string;

  @Field(() => [String])
  attributes!: string[];

  @Field()
  purpose!: string;

  @Field()
  procedureCode!: string;

  @Field(() => GraphQLISODateTime)
  issuedAt!: Date;

  @Field(() => GraphQLISODateTime)
  notAfter!: Date;

  @Field(() => Int)
  dataLifeSeconds!: number;

  @Field({ description: 'GRANTED or REVOKED.' })
  status!: string;

  @Field(() => GraphQLISODateTime, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType({ description: 'A consent just recorded, with its token (a signed JWT, typ consent+jwt).' })
export class ConsentGrant {
  @Field(() => Consent)
  consent!: Consent;

  @Field({ description: 'Pass it as consentToken to prefill, citizen or landParcel, with this client’s access token.' })
  consentToken!: string;
}

@ObjectType({ description: 'A field of a procedure’s declaration, filled from a registry when the citizen consented.' })
export class PrefillField {
  @Field({ description: 'The declaration field, e.g. applicant.fullName.' })
  field!: string;

  @Field({ description: 'Its label on the declaration (Vietnamese).' })
  label!: string;

  @Field({ description: 'The registry attribute it comes from, e.g. population.fullName.' })
  attribute!: string;

  @Field({ description: 'The registry: population, land or business.' })
  source!: string;

  @Field(() => String, { nullable: true, description: 'The value (lists as JSON); null with a reason.' })
  value!: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the attribute last changed at the registry.' })
  sourceUpdatedAt!: Date | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When the hub read it from the registry (an answer the hub had cached: when it was read then).',
  })
  retrievedAt!: Date | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      "Until when the portal may keep the value: retrievedAt plus the consent's data life (dataLifeSeconds); null when there is no value. Deleting it by then is the portal's duty.",
  })
  keepUntil!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why there is no value: NOT_CONSENTED, UPSTREAM_UNAVAILABLE or NOT_IN_REGISTRY.' })
  reason!: string | null;
}

function view(record: ConsentRecord): Consent {
  return { ...record, attributes: [...record.attributes], status: record.status };
}

@Resolver()
export class ConsentResolver {
  @Mutation(() => ConsentGrant, {
    description:
      "Records a citizen's consent for the calling portal (dossier:submit) and returns the consent token. Requires the citizen's ID token from the national identity provider.",
  })
  async grantConsent(@Arg('input', () => GrantConsentInput) input: GrantConsentInput, @Ctx() context: HubContext): Promise<ConsentGrant> {
    context.authorize({ action: 'consent.grant' });
    requireClient(context.principal);
    // The hub's own sign-in, or the calling portal's own at the provider (its registered identity client id).
    const portal = await context.services.clients.find(context.principal.clientId);
    const citizen = await context.services.identity.verifyIdToken(input.idToken, {
      alsoAudiences: portal?.identityClientId ? [portal.identityClientId] : [],
    });
    const { record, token } = await context.services.consents.grant({
      personalId: citizen.personalId,
      clientId: context.principal.clientId,
      attributes: input.attributes,
      purpose: input.purpose,
      procedureCode: input.procedureCode,
      notAfter: input.notAfter,
      dataLifeSeconds: input.dataLifeSeconds,
      requestId: context.requestId,
    });
    return { consent: view(record), consentToken: token };
  }

  @Mutation(() => Consent, {
    description: 'Withdraws a consent, effective at once: by the client it is bound to, or by the citizen (pass their ID token).',
  })
  async revokeConsent(
    @Arg('id', () => String) id: string,
    @Ctx() context: HubContext,
    @Arg('idToken', () => String, { nullable: true, description: "The citizen's ID token, when the citizen withdraws." })
    idToken?: string | null,
  ): Promise<Consent> {
    // A portal relays it, for itself or for the citizen who signed in there (their consent, to any client).
    context.authorize({ action: 'consent.revoke' });
    requireClient(context.principal);
    if (idToken !== null && idToken !== undefined) {
      const citizen = await context.services.identity.verifyIdToken(idToken);
      return view(await context.services.consents.revoke(id, { kind: 'citizen', personalId: citizen.personalId }, context.requestId));
    }
    return view(await context.services.consents.revoke(id, { kind: 'client', clientId: context.principal.clientId }, context.requestId));
  }

  @Query(() => [PrefillField], {
    description:
      "The fields of a procedure's declaration, filled from the registries under the citizen's consent: each with its source, when it last changed there and when it was read; fields not consented have no value (NOT_CONSENTED). Written to the processing log once, with the consent id.",
  })
  async prefill(
    @Arg('procedureCode', () => String) procedureCode: string,
    @Arg('consentToken', () => String) consentToken: string,
    @Ctx() context: HubContext,
  ): Promise<PrefillField[]> {
    requireClient(context.principal);
    const fields = shippedPrefillFields().get(procedureCode);
    if (!fields) {
      throw new NotFoundError(`Procedure ${procedureCode} has no declaration the hub can prefill.`, {
        reason: 'PREFILL.UNKNOWN_PROCEDURE',
      });
    }
    context.authorize({ action: 'personal-data.read', basis: { kind: 'consent', boundClientId: context.principal.clientId } });
    const consent = await context.services.consents.present(consentToken, {
      clientId: context.principal.clientId,
      procedureCode,
      purpose: prefillPurpose(procedureCode),
      attributes: [],
    });
    const personalId = await context.services.consents.subjectOf(consent);
    const asked = registriesToAsk(fields, consent.attributes);
    const answers: Partial<Record<PrefillRegistry, RegistryAnswer>> = {};
    // One entry for the whole prefill, naming the consent and every registry asked. It records the
    // read as attempted, so it is written while the registries answer (the prefill then takes the
    // longer of the two, not their sum); the answer leaves only once it is written, and not at all
    // when it cannot be (docs/SECURITY.md, sec-5).
    const logged = context.recordProcessingNow({
      action: 'personal-data.read',
      subject: consent.subjectPseudonym,
      basis: `consent:${consent.id}`,
      details: {
        fields: ['prefill'],
        consentId: consent.id,
        procedureCode,
        attributes: fields.map((f) => f.attribute).filter((a) => consent.attributes.includes(a)),
        registries: asked.map((registry) => ({ registry })),
      },
    });
    await Promise.all([
      logged,
      ...asked.map(async (registry) => (answers[registry] = await read(context, registry, personalId, consent.dataLifeSeconds))),
    ]);
    return buildPrefill(fields, consent.attributes, answers, consent.dataLifeSeconds);
  }
}

/** One registry's answer for the citizen, and when the hub read it from the registry (when known: a cached answer). */
type Reader = (
  context: HubContext,
  personalId: string,
  dataLifeSeconds: number,
) => Promise<Omit<Extract<RegistryAnswer, { available: true }>, 'retrievedAt' | 'available'> & { retrievedAt?: Date | undefined }>;

/** The latest of the registry's update times (the composed schema gives them as Date or RFC 3339 text). */
const latest = (dates: (string | Date | undefined)[]): Date | null => {
  const times = dates
    .filter((d): d is string | Date => d !== undefined)
    .map((d) => new Date(d).getTime())
    .filter((t) => !Number.isNaN(t));
  return times.length ? new Date(Math.max(...times)) : null;
};

const READERS: Record<PrefillRegistry, Reader> = {
  population: async (context, personalId, dataLifeSeconds) => {
    // The only cached registry a prefill reads: no cached answer older than the consent's data life.
    const citizen = await context.loaders.underConsent(dataLifeSeconds).citizens.load(personalId);
    const updates = (citizen['attributeUpdates'] ?? []) as { attribute: string; updatedAt: string | Date }[];
    return {
      retrievedAt: context.loaders.retrievedAt(citizen),
      value: (def: PrefillFieldDefinition) => {
        let at: unknown = citizen;
        for (const key of (def.path ?? '').split('.')) at = (at as Record<string, unknown> | undefined)?.[key];
        return at === undefined || at === null ? null : String(at);
      },
      updatedAt: (attribute: ConsentAttribute) => latest([updates.find((u) => `population.${u.attribute}` === attribute)?.updatedAt]),
    };
  },
  land: async (context, personalId) => {
    const parcels = (await context.loaders.parcelsByOwner.load(personalId)) as {
      communeCode: string;
      mapSheetNumber: number;
      parcelNumber: number;
      lastUpdated?: string | Date;
    }[];
    return {
      value: () =>
        JSON.stringify(
          parcels.map((p) => ({ communeCode: p.communeCode, mapSheetNumber: p.mapSheetNumber, parcelNumber: p.parcelNumber })),
        ),
      updatedAt: () => latest(parcels.map((p) => p.lastUpdated)),
    };
  },
  business: async (context, personalId) => {
    const enterprises = (await context.loaders.enterprisesByRepresentative.load(personalId)) as {
      enterpriseCode: string;
      name: string;
      attributeUpdates?: { updatedAt: string | Date }[];
    }[];
    return {
      value: () => JSON.stringify(enterprises.map((e) => ({ enterpriseCode: e.enterpriseCode, name: e.name }))),
      updatedAt: () => latest(enterprises.flatMap((e) => (e.attributeUpdates ?? []).map((u) => u.updatedAt))),
    };
  },
};

/** One registry's answer; a registry that cannot answer marks its fields only. */
async function read(context: HubContext, registry: PrefillRegistry, personalId: string, dataLifeSeconds: number): Promise<RegistryAnswer> {
  try {
    const { retrievedAt, ...answer } = await READERS[registry](context, personalId, dataLifeSeconds);
    return { available: true, retrievedAt: retrievedAt ?? context.services.clock.now(), ...answer };
  } catch (error) {
    if (error instanceof NotFoundError)
      return { available: true, retrievedAt: context.services.clock.now(), value: () => null, updatedAt: () => null };
    if (error instanceof HubError && error.code === 'UPSTREAM_UNAVAILABLE') return { available: false };
    throw error;
  }
}
