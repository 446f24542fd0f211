import { stitchSchemas } from '@graphql-tools/stitch';
import { mapSchema, MapperKind, pruneSchema } from '@graphql-tools/utils';
import { FilterObjectFields, FilterRootFields } from '@graphql-tools/wrap';
import { GraphQLScalarType, GraphQLSchema, isScalarType, specifiedDirectives } from 'graphql';
import type { DossierScope } from '../domain/access/access-policy';
import { ConsentRequiredError, ForbiddenError, InvalidInputError } from '../domain/errors';
import { parsePersonalId } from '../domain/identifiers/personal-id';
import { parseEnterpriseCode } from '../domain/identifiers/enterprise-code';
import { requireClient } from '../domain/access/access-policy';
import type { HubContext } from '../schema/context';
import { readParcel, toLandParcel, type ParcelRecord } from '../schema/land-parcel-read';
import type { LandParcelId } from '../domain/identifiers/land-parcel-id';
import { requirePersonalDataBasis } from '../schema/personal-data-basis';
import type { ConsentAttribute, ConsentRecord } from '../domain/consent/consent';

interface DossierParent {
  code: string;
  applicantKind: string;
  /** Null when the caller may not see it: the field resolver refused. */
  applicantId?: string | null;
  applicantEnterpriseCode?: string | null;
  receivingAgency?: { code: string };
  handlingAgencyCodes?: string[];
  landParcelId?: LandParcelId | null;
}

/** The dossier an enterprise was reached through (Dossier.business): the legal basis for its personal data. */
const DOSSIER_BASIS = Symbol('dossier basis');

interface EnterpriseParent {
  legalRepresentative?: { personalId?: string } | null;
  [DOSSIER_BASIS]?: { code: string; scope: DossierScope };
}

/** Who handles a dossier, from the fields a stitched resolver selected: what personal-data decisions need. */
function scopeFromParent(dossier: DossierParent): DossierScope {
  return {
    receivingAgencyCode: dossier.receivingAgency!.code,
    handlingAgencyCodes: dossier.handlingAgencyCodes ?? [],
    // Personal data is decided on the agencies alone; a portal always needs consent.
    submittedByClientId: null,
  };
}

/** A citizen read under consent carries it: each field is given only if its attribute was consented. */
const CONSENT_BASIS = Symbol('consent basis');

interface CitizenParent {
  [key: string]: unknown;
  [CONSENT_BASIS]?: ConsentRecord;
}

/** Reads a citizen from the registry on an authorised basis, and writes it to the processing log. */
function readCitizen(context: HubContext, personalId: string, dossierCode: string, field: string) {
  return readCitizenOn(context, personalId, `dossier:${dossierCode}`, field);
}

async function readCitizenOn(context: HubContext, personalId: string, basis: string, field: string, consent?: ConsentRecord) {
  context.recordProcessing({
    action: 'personal-data.read',
    subject: context.services.audit.subjectRef(personalId),
    basis,
    details: consent
      ? { fields: [field], source: 'population-registry', consentId: consent.id, attributes: [...consent.attributes] }
      : { fields: [field], source: 'population-registry' },
  });
  // Under a consent, no registry answer the hub cached longer ago than its data life.
  const loader = consent ? context.loaders.underConsent(consent.dataLifeSeconds).citizens : context.loaders.citizens;
  const citizen = (await loader.load(personalId)) as Record<string, unknown> | null;
  return consent && citizen ? { ...citizen, [CONSENT_BASIS]: consent } : citizen;
}

/** A field of a citizen read under consent: refused (CONSENT_REQUIRED) unless its attribute was consented. */
function requireConsented(citizen: CitizenParent, attribute: ConsentAttribute | null, field: string): void {
  const consent = citizen[CONSENT_BASIS];
  if (!consent) return;
  if (attribute !== null && consent.attributes.includes(attribute)) return;
  throw new ConsentRequiredError(
    attribute === null
      ? `Citizen.${field} is other people's data: no consent of this citizen covers it.`
      : `The citizen did not consent to ${attribute} (Citizen.${field}).`,
    { reason: 'CONSENT.ATTRIBUTE_NOT_CONSENTED', details: { field: `Citizen.${field}`, attribute } },
  );
}

/** Citizen fields as consent attributes; the personal id (the caller named it) and its birth province need none. */
const CITIZEN_FIELD_ATTRIBUTES: Readonly<Record<string, ConsentAttribute>> = {
  fullName: 'population.fullName',
  familyName: 'population.fullName',
  middleName: 'population.fullName',
  givenName: 'population.fullName',
  dateOfBirth: 'population.dateOfBirth',
  sex: 'population.sex',
  ethnicity: 'population.ethnicity',
  nationality: 'population.nationality',
  permanentResidence: 'population.permanentResidence',
  currentResidence: 'population.currentResidence',
  householdId: 'population.householdId',
  isHouseholdHead: 'population.householdId',
  maritalStatus: 'population.maritalStatus',
};

const consentedCitizenFields = Object.fromEntries(
  Object.entries(CITIZEN_FIELD_ATTRIBUTES).map(([field, attribute]) => [
    field,
    {
      resolve: (citizen: CitizenParent) => {
        requireConsented(citizen, attribute, field);
        return citizen[field];
      },
    },
  ]),
);

/**
 * One graph: the dossier schema (type-graphql) stitched with the registry types that Mesh composed
 * from the upstream API descriptions. The registries' raw root fields are not served: clients reach
 * registry data only through the hub's own fields, where the access policy, batching, typed errors
 * and the processing log apply.
 */
export function buildOneGraph(dossierSchema: GraphQLSchema, registrySchema: GraphQLSchema): GraphQLSchema {
  const stitched = stitchSchemas<HubContext>({
    subschemas: [
      { schema: dossierSchema },
      {
        schema: registrySchema,
        transforms: [
          new FilterRootFields(() => false),
          // A representative's personal id is personal data, not published registration data.
          new FilterObjectFields((typeName, fieldName) => !(typeName === 'LegalRepresentative' && fieldName === 'personalId')),
        ],
      },
    ],
    typeDefs: /* GraphQL */ `
      extend type Dossier {
        "The applicant as recorded in the national population registry (null for a business). Personal data: needs a legal basis."
        applicant: Citizen
      }
      extend type Dossier {
        "The land parcel the dossier concerns, as recorded in the land registry (null when it names none). Its holders are personal data: needs a legal basis."
        landParcel: LandParcel
      }
      extend type Dossier {
        "The applicant as recorded in the national business registry (null when the applicant is a citizen)."
        business: Enterprise
      }
      extend type Citizen {
        "The household the citizen is registered in, with every member and their relationship to the head (personal data of each member; null when the registry cannot be reached)."
        household: Household
      }
      extend type Citizen {
        "The land parcels this citizen holds a right to, in the land registry (null when that registry cannot be reached)."
        parcels: [LandParcel!]
      }
      extend type Enterprise {
        "The legal representative as recorded in the national population registry. Personal data: only through the dossier of this enterprise (Dossier.business) in your agency's hands."
        representative: Citizen
      }
      extend type LandParcelOwner {
        "The organisation holding the right, from the national business registry (null for a citizen)."
        enterprise: Enterprise
      }
      extend type Citizen {
        "The enterprises in the national business registry whose current legal representative this citizen is (null when that registry cannot be reached)."
        enterprises: [Enterprise!]
      }
      extend type Query {
        "An enterprise from the national business registry, by its 10-digit code (published registration data)."
        business(enterpriseCode: String!): Enterprise
        """
        A citizen from the national population registry. Personal data: give the code of a dossier of this
        citizen that your agency received or handles (the legal basis), or the citizen's consent token.
        """
        citizen(personalId: String!, dossierCode: String, consentToken: String): Citizen
      }
    `,
    resolvers: {
      Enterprise: {
        representative: {
          resolve: (enterprise: EnterpriseParent, _args: unknown, context: HubContext) => {
            const basis = enterprise[DOSSIER_BASIS];
            if (!basis) {
              throw new ForbiddenError(
                "An enterprise's legal representative is personal data: read it through the enterprise's dossier in your agency (Dossier.business.representative).",
                { reason: 'PERSONAL_DATA.NO_LEGAL_BASIS' },
              );
            }
            context.authorize({ action: 'personal-data.read', basis: { kind: 'dossier', dossier: basis.scope } });
            const personalId = enterprise.legalRepresentative?.personalId;
            return personalId ? readCitizen(context, personalId, basis.code, 'Enterprise.representative') : null;
          },
        },
      },
      LandParcelOwner: {
        enterprise: {
          selectionSet: '{ ownerId ownerKind }',
          resolve: (owner: { ownerId: string; ownerKind: string }, _args: unknown, context: HubContext) =>
            owner.ownerKind === 'ORGANISATION' ? context.loaders.enterprises.load(owner.ownerId) : null,
        },
      },
      Citizen: {
        ...consentedCitizenFields,
        attributeUpdates: {
          // Under consent, only the update times of consented attributes.
          resolve: (citizen: CitizenParent) => {
            const updates = (citizen['attributeUpdates'] ?? []) as { attribute: string }[];
            const consent = citizen[CONSENT_BASIS];
            return consent
              ? updates.filter((u) => (consent.attributes as readonly string[]).includes(`population.${u.attribute}`))
              : updates;
          },
        },
        // Reached only through an authorised read of the citizen, so they need no basis of their own.
        household: {
          selectionSet: '{ personalId householdId }',
          resolve: async (citizen: { personalId: string; householdId: string } & CitizenParent, _args: unknown, context: HubContext) => {
            requireConsented(citizen, null, 'household');
            const household = (await context.loaders.households.load(citizen.householdId)) as { members: { personalId: string }[] };
            // The members are other people: each read is written to the processing log.
            for (const member of household.members) {
              if (member.personalId === citizen.personalId) continue;
              context.recordProcessing({
                action: 'personal-data.read',
                subject: context.services.audit.subjectRef(member.personalId),
                basis: `household-of:${context.services.audit.subjectRef(citizen.personalId)}`,
                details: { fields: ['Citizen.household'], source: 'population-registry' },
              });
            }
            return household;
          },
        },
        parcels: {
          selectionSet: '{ personalId }',
          resolve: async (citizen: { personalId: string } & CitizenParent, _args: unknown, context: HubContext) => {
            requireConsented(citizen, 'land.parcels', 'parcels');
            const parcels = (await context.loaders.parcelsByOwner.load(citizen.personalId)) as unknown as ParcelRecord[];
            // A registry read about the citizen and every co-holder: each person is written to the processing log.
            const consent = citizen[CONSENT_BASIS];
            const basis = consent ? `consent:${consent.id}` : `parcels-of:${context.services.audit.subjectRef(citizen.personalId)}`;
            const holders = new Set([citizen.personalId]);
            for (const parcel of parcels) for (const owner of parcel.owners) if (owner.ownerKind === 'CITIZEN') holders.add(owner.ownerId);
            for (const holder of holders) {
              context.recordProcessing({
                action: 'personal-data.read',
                subject: context.services.audit.subjectRef(holder),
                basis,
                details: { fields: ['Citizen.parcels'], source: 'land-registry', parcels: parcels.length },
              });
            }
            return parcels.map(toLandParcel);
          },
        },
        enterprises: {
          selectionSet: '{ personalId }',
          resolve: (citizen: { personalId: string } & CitizenParent, _args: unknown, context: HubContext) => {
            requireConsented(citizen, 'business.enterprises', 'enterprises');
            return context.loaders.enterprisesByRepresentative.load(citizen.personalId);
          },
        },
      },
      Dossier: {
        // Resolved here, not in the dossier schema, so the land registry is asked alongside the others, not after.
        landParcel: {
          selectionSet: '{ code receivingAgency { code } handlingAgencyCodes landParcelId { communeCode mapSheetNumber parcelNumber } }',
          resolve: (dossier: DossierParent, _args: unknown, context: HubContext) => {
            if (!dossier.landParcelId) return null;
            context.authorize({ action: 'personal-data.read', basis: { kind: 'dossier', dossier: scopeFromParent(dossier) } });
            return readParcel(context, dossier.landParcelId, dossier.code, 'Dossier.landParcel');
          },
        },
        business: {
          // Not applicantId: asking for a citizen dossier's business must not touch personal data.
          selectionSet: '{ code applicantEnterpriseCode receivingAgency { code } handlingAgencyCodes }',
          resolve: async (dossier: DossierParent, _args: unknown, context: HubContext) => {
            if (!dossier.applicantEnterpriseCode) return null;
            const enterprise = await context.loaders.enterprises.load(dossier.applicantEnterpriseCode);
            // The dossier travels with the enterprise: it is the legal basis to read its representative.
            return { ...enterprise, [DOSSIER_BASIS]: { code: dossier.code, scope: scopeFromParent(dossier) } };
          },
        },
        applicant: {
          // applicantId is resolved (and authorised) by the dossier schema; null means it was refused.
          selectionSet: '{ code applicantId applicantKind }',
          resolve: async (dossier: DossierParent, _args: unknown, context: HubContext) => {
            if (dossier.applicantKind !== 'CITIZEN') return null;
            if (!dossier.applicantId) {
              throw new ForbiddenError('Personal data is shown only to the agencies handling this dossier.', {
                reason: 'PERSONAL_DATA.NO_LEGAL_BASIS',
              });
            }
            return readCitizen(context, dossier.applicantId, dossier.code, 'Dossier.applicant');
          },
        },
      },
      Query: {
        business: async (_root: unknown, args: { enterpriseCode: string }, context: HubContext) => {
          requireClient(context.principal);
          const parsed = parseEnterpriseCode(args.enterpriseCode);
          if (!parsed.ok) throw new InvalidInputError(parsed.reason, { reason: `ENTERPRISE_CODE.${parsed.issue}` });
          return context.loaders.enterprises.load(parsed.value.parentCode);
        },
        citizen: async (
          _root: unknown,
          args: { personalId: string; dossierCode?: string | null; consentToken?: string | null },
          context: HubContext,
        ) => {
          const parsed = parsePersonalId(args.personalId);
          if (!parsed.ok) throw new InvalidInputError(parsed.reason, { reason: `PERSONAL_ID.${parsed.issue}` });
          const basis = await requirePersonalDataBasis(context, args, {
            matches: (candidate) => candidate.applicantId === args.personalId,
            what: 'this person',
            personalId: args.personalId,
            // Each field checks its own attribute: a consent to any of them lets the read begin.
            attributes: [],
          });
          return readCitizenOn(context, args.personalId, basis.ref, 'Query.citizen', basis.kind === 'consent' ? basis.consent : undefined);
        },
      },
    },
  });
  // Mesh's transport directives and unreachable helper types are internal: drop them from the public schema.
  const served = pruneSchema(new GraphQLSchema({ ...stitched.toConfig(), directives: [...specifiedDirectives] }));
  return withInputCoercionOf(dossierSchema, served);
}

/**
 * Stitching proxies scalars (wrapSchema strips their parsers), so a malformed `Date` would be
 * refused only inside the dossier schema, under the variable name the delegation gave it
 * (`$_statistics_to`), where the client's own name is lost. The served scalars parse input with
 * the dossier schema's own parsers instead: the gateway refuses a bad value first, naming the
 * client's variable, as BAD_USER_INPUT. Output stays proxied (the subschema already serialised it).
 */
export function withInputCoercionOf(source: GraphQLSchema, served: GraphQLSchema): GraphQLSchema {
  return mapSchema(served, {
    [MapperKind.SCALAR_TYPE]: (type) => {
      const own = source.getType(type.name);
      if (!isScalarType(own) || own === type) return type;
      return new GraphQLScalarType({ ...type.toConfig(), parseValue: own.parseValue, parseLiteral: own.parseLiteral });
    },
  });
}
