/** The registries' subgraph names in the composed graph (mesh.config.ts composes them). */
export const SUBGRAPHS = {
  population: 'PopulationRegistry',
  business: 'BusinessRegistry',
} as const;
