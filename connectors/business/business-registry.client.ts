import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { RegistryBatchClient, type BatchClientOptions } from '../registry-batch-client';
import type { Enterprise } from './business-registry.types';

/** The national business registry, read through the composed graph (its OpenAPI description). */
export class BusinessRegistryClient extends RegistryBatchClient<Enterprise> {
  private readonly byRepresentativeDocument: DocumentNode;

  constructor(registrySchema: GraphQLSchema, options: BatchClientOptions) {
    super(
      registrySchema,
      {
        name: 'business registry',
        reasonPrefix: 'BUSINESS_REGISTRY',
        operation: 'lookupEnterprises',
        inputType: 'EnterpriseLookupRequest_Input',
        inputField: 'enterpriseCodes',
        resultType: 'EnterpriseLookupResult',
        listField: 'enterprises',
        recordType: 'Enterprise',
        keyOf: (enterprise) => enterprise.enterpriseCode,
        notFoundMessage: 'No enterprise with this code is recorded in the national business registry.',
        invalidMessage: 'This is not a valid enterprise code (10 digits with a check digit).',
      },
      options,
    );
    this.byRepresentativeDocument = parse(`query ByRepresentative($representativeId: String!) {
      findEnterprisesByRepresentative(representativeId: $representativeId) {
        __typename
        ... on EnterpriseList { enterprises ${this.selectionOf('Enterprise')} }
        ... on Problem { status code }
      }
    }`);
  }

  /** The enterprises whose current legal representative is this citizen (possibly none). */
  async findByRepresentative(personalId: string): Promise<Enterprise[]> {
    const result = await this.runOperation<{ __typename: string; enterprises?: Enterprise[] }>(
      this.byRepresentativeDocument,
      'findEnterprisesByRepresentative',
      { representativeId: personalId },
    );
    return result.enterprises ?? [];
  }
}
