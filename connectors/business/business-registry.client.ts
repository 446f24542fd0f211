import type { GraphQLSchema } from 'graphql';
import { RegistryBatchClient, type BatchClientOptions } from '../registry-batch-client';
import type { Enterprise } from './business-registry.types';

/** The national business registry, read through the composed graph (its OpenAPI description). */
export class BusinessRegistryClient extends RegistryBatchClient<Enterprise> {
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
  }
}
