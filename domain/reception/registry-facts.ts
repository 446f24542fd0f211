import type { ComponentRequirement, RegistrySource } from '../catalogue/procedure-definition';

/**
 * What a registry confirms for a paper when the catalogue names no attribute: population, that the
 * person exists with their identity (the identity card, passport or e-identity a paper asks for);
 * business, that the enterprise is active with the applicant as its legal representative; land,
 * that the parcel exists and the applicant holds its land-use right.
 */
export const DEFAULT_REGISTRY_ATTRIBUTES: Readonly<Record<RegistrySource, string>> = {
  population: 'identity',
  business: 'legalRepresentative',
  land: 'landUseRight',
};

export interface RegistryFact {
  registry: RegistrySource;
  attribute: string;
}

/**
 * The registry fact a paper relies on: the paper's own registry source (catalogue data) and the
 * attribute it names, else the registry's default fact; null when no registry backs it. A document
 * type's registry source alone does not make a paper registry-backed: the type says which registry
 * holds its kind of fact, not which attribute proves this paper, and confirming the wrong one would
 * count a paper as supplied that the registry never attested.
 */
export function registryFactFor(requirement: Pick<ComponentRequirement, 'registrySource' | 'registryAttribute'>): RegistryFact | null {
  const registry = requirement.registrySource;
  if (!registry) return null;
  return { registry, attribute: requirement.registryAttribute || DEFAULT_REGISTRY_ATTRIBUTES[registry] };
}
