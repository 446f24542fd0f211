/**
 * Levels of assurance of the national identity, as VNeID's account levels: `urn:vneid:loa:1`
 * (self-registered), `:2` (identified in person), `:3`. A sign-in meets a requirement when its
 * level is at least the required one; a value not of this form meets none.
 */
const LEVEL = /^urn:vneid:loa:([1-9])$/;

/** The numeric level of an `acr` value, or undefined when it is not one of the national levels. */
export function assuranceLevelOf(acr: unknown): number | undefined {
  const match = typeof acr === 'string' ? LEVEL.exec(acr) : null;
  return match ? Number(match[1]) : undefined;
}

export function meetsAssurance(acr: unknown, required: string): boolean {
  const level = assuranceLevelOf(acr);
  const needed = assuranceLevelOf(required);
  return level !== undefined && needed !== undefined && level >= needed;
}
