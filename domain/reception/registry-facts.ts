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

/**
 * The registry attribute a held document of a type proves, where the registry holds it as an
 * attribute of its own (population registry, Law on Identification 2023 art. 9): a paper accepting
 * such a type is confirmed by that attribute, not by the person's identity alone.
 */
export const ATTRIBUTE_PROVEN_BY_TYPE: Readonly<Record<string, string>> = {
  RESIDENCE_CONFIRMATION: 'currentResidence',
  MARITAL_STATUS_CERTIFICATE: 'maritalStatus',
  MARRIAGE_CERTIFICATE: 'maritalStatus',
  DIVORCE_RECORD_EXTRACT: 'maritalStatus',
  BIRTH_CERTIFICATE: 'dateOfBirth',
  IDENTITY_CARD: 'identity',
  CITIZEN_IDENTITY_CARD: 'identity',
  IDENTITY_CERTIFICATE: 'identity',
};

export interface RegistryFact {
  registry: RegistrySource;
  attribute: string;
}

/**
 * The registry fact a paper relies on: the paper's own registry source (catalogue data) and the
 * attribute it names, else the one its accepted document types prove, else the registry's default fact; null when no registry backs it. A document
 * type's registry source alone does not make a paper registry-backed: the type says which registry
 * holds its kind of fact, not which attribute proves this paper, and confirming the wrong one would
 * count a paper as supplied that the registry never attested.
 */
export function registryFactFor(
  requirement: Pick<ComponentRequirement, 'registrySource' | 'registryAttribute' | 'acceptedDocumentTypes'>,
): RegistryFact | null {
  const registry = requirement.registrySource;
  if (!registry) return null;
  const implied =
    registry === 'population'
      ? (requirement.acceptedDocumentTypes ?? []).map((type) => ATTRIBUTE_PROVEN_BY_TYPE[type]).find((a) => a !== undefined)
      : undefined;
  return { registry, attribute: requirement.registryAttribute || implied || DEFAULT_REGISTRY_ATTRIBUTES[registry] };
}
