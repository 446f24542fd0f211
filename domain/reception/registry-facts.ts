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
 * The registry fact a paper relies on: the paper's own registry source, else that of a document type
 * it accepts (`registryOf` reads the document types' data); null when no registry holds it.
 */
export function registryFactFor(
  requirement: Pick<ComponentRequirement, 'registrySource' | 'registryAttribute' | 'acceptedDocumentTypes'>,
  registryOf: (documentTypeCode: string) => RegistrySource | null = () => null,
): RegistryFact | null {
  const registry =
    requirement.registrySource ??
    (requirement.acceptedDocumentTypes ?? []).map(registryOf).find((source): source is RegistrySource => source !== null) ??
    null;
  if (!registry) return null;
  return { registry, attribute: requirement.registryAttribute || DEFAULT_REGISTRY_ATTRIBUTES[registry] };
}
