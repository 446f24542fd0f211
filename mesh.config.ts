/**
 * Composition of the registry connectors into one graph (GraphQL Mesh compose). Each upstream is
 * described by its own published API description; the endpoints here are defaults that the hub
 * overrides from configuration at run time (POPULATION_REGISTRY_URL, ...), so a real registry
 * needs no rebuild. `npm run mesh:compose` prints the composed supergraph with Mesh's own CLI.
 * The land registry (SOAP) is not here: no available Mesh SOAP loader composes its WSDL, so the hub
 * reads it with connectors/land/land-registry.client.ts (see connectors/land/README.md).
 */
import { defineConfig } from '@graphql-mesh/compose-cli';
import { loadOpenAPISubgraph } from '@omnigraph/openapi';
import { SUBGRAPHS } from './connectors/registry-subgraphs';
import { fromProjectRoot } from './platform/paths';

export { SUBGRAPHS };

export const composeConfig = defineConfig({
  subgraphs: [
    {
      sourceHandler: loadOpenAPISubgraph(SUBGRAPHS.population, {
        source: fromProjectRoot('connectors/population/openapi.yaml'),
        endpoint: 'https://127.0.0.1:4101',
        // A read despite the POST: keep it a query.
        selectQueryOrMutationField: [{ fieldName: 'lookupCitizens', type: 'query' }],
      }),
    },
    {
      // The API key is added at run time from configuration (BUSINESS_REGISTRY_API_KEY).
      sourceHandler: loadOpenAPISubgraph(SUBGRAPHS.business, {
        source: fromProjectRoot('connectors/business/openapi.yaml'),
        endpoint: 'http://127.0.0.1:4102',
        selectQueryOrMutationField: [{ fieldName: 'lookupEnterprises', type: 'query' }],
      }),
    },
  ],
});

export default composeConfig;
