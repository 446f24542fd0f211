import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { NotFoundError } from '../../domain/errors';
import { RegistryBatchClient, type BatchClientOptions } from '../registry-batch-client';
import { POPULATION_FRESHNESS, recordLifetimeSeconds } from '../../domain/registries/attribute-freshness';
import type { Citizen, Household } from './population-registry.types';

export type PopulationRegistryClientOptions = BatchClientOptions;
export { MAX_BATCH } from '../registry-batch-client';

/** The national population registry, read through the composed graph (its OpenAPI description). */
export class PopulationRegistryClient extends RegistryBatchClient<Citizen> {
  private readonly householdDocument: DocumentNode;

  constructor(registrySchema: GraphQLSchema, options: PopulationRegistryClientOptions) {
    super(
      registrySchema,
      {
        name: 'population registry',
        reasonPrefix: 'POPULATION_REGISTRY',
        operation: 'lookupCitizens',
        inputType: 'CitizenLookupRequest_Input',
        inputField: 'personalIds',
        resultType: 'CitizenLookupResult',
        listField: 'citizens',
        recordType: 'Citizen',
        keyOf: (citizen) => citizen.personalId,
        notFoundMessage: 'No citizen with this personal id is recorded in the national population registry.',
        invalidMessage: 'This is not a valid 12-digit personal identification number.',
        setupProblems: {
          CLIENT_CERTIFICATE_REQUIRED:
            'it requires a client certificate; reach it over https (POPULATION_REGISTRY_URL) with CONNECTOR_TLS_CERT_FILE and CONNECTOR_TLS_KEY_FILE, or the hub’s own certificate',
          CLIENT_CERTIFICATE_UNTRUSTED:
            'it does not accept the hub’s client certificate; set CONNECTOR_TLS_CERT_FILE and CONNECTOR_TLS_KEY_FILE to a certificate it enrolled',
        },
        // Residence or household changed last week: reuse it for minutes, not the full limit.
        lifetimeSeconds: (citizen, fetchedAt, limit) =>
          recordLifetimeSeconds(citizen.attributeUpdates ?? [], fetchedAt, POPULATION_FRESHNESS, limit),
      },
      options,
    );
    this.householdDocument = parse(`query Household($householdId: HouseholdId!) {
      getHousehold(householdId: $householdId) {
        __typename
        ... on Household ${this.selectionOf('Household')}
        ... on Problem { status code }
      }
    }`);
  }

  /** A household and its members, the head first (the registry has no batch form: one call per household). */
  async household(householdId: string): Promise<Household> {
    return this.runOperation<Household & { __typename: string }>(
      this.householdDocument,
      'getHousehold',
      { householdId },
      {
        HOUSEHOLD_NOT_FOUND: () =>
          new NotFoundError('The national population registry has no household with this id.', {
            reason: 'POPULATION_REGISTRY.HOUSEHOLD_NOT_FOUND',
          }),
      },
    );
  }
}
