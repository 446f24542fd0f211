import { InvalidInputError } from '../errors';
import { isConsentAttribute, type ConsentAttribute } from './consent';
import { keepUntil } from './data-life';

/** The registries a prefill reads, named as the attributes' prefix. */
export const PREFILL_REGISTRIES = ['population', 'land', 'business'] as const;
export type PrefillRegistry = (typeof PREFILL_REGISTRIES)[number];

/** A field of a procedure's declaration and the registry attribute that fills it. */
export interface PrefillFieldDefinition {
  field: string;
  label: string;
  attribute: ConsentAttribute;
  /** For a population attribute, where its value sits in the citizen record (e.g. `currentResidence.fullAddress`). */
  path?: string | undefined;
}

export type PrefillFieldLists = ReadonlyMap<string, readonly PrefillFieldDefinition[]>;

export function registryOf(attribute: ConsentAttribute): PrefillRegistry {
  return attribute.split('.')[0] as PrefillRegistry;
}

/** Validates reference/catalogue/prefill-fields.json; throws listing every problem. */
export function parsePrefillFields(raw: unknown, procedureCodes: ReadonlySet<string>): PrefillFieldLists {
  const problems: string[] = [];
  const lists = new Map<string, PrefillFieldDefinition[]>();
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InvalidInputError('prefill fields: expected an object by procedure code');
  for (const [code, fields] of Object.entries(raw as Record<string, unknown>)) {
    if (!procedureCodes.has(code)) problems.push(`${code}: not a procedure of the catalogue`);
    if (!Array.isArray(fields) || fields.length === 0) {
      problems.push(`${code}: expected a non-empty list of fields`);
      continue;
    }
    const seen = new Set<string>();
    const list: PrefillFieldDefinition[] = [];
    for (const [i, f] of (fields as unknown[]).entries()) {
      const def = f as Partial<Record<keyof PrefillFieldDefinition, unknown>>;
      if (typeof def.field !== 'string' || typeof def.label !== 'string' || typeof def.attribute !== 'string') {
        problems.push(`${code}[${i}]: field, label and attribute are strings`);
        continue;
      }
      if (!isConsentAttribute(def.attribute)) problems.push(`${code}.${def.field}: unknown attribute ${def.attribute}`);
      else if (registryOf(def.attribute) === 'population' && typeof def.path !== 'string')
        problems.push(`${code}.${def.field}: a population field names its path`);
      if (seen.has(def.field)) problems.push(`${code}.${def.field}: listed twice`);
      seen.add(def.field);
      list.push({
        field: def.field,
        label: def.label,
        attribute: def.attribute as ConsentAttribute,
        path: typeof def.path === 'string' ? def.path : undefined,
      });
    }
    lists.set(code, list);
  }
  if (problems.length > 0) throw new InvalidInputError(`prefill fields: ${problems.join('; ')}`);
  return lists;
}

/** What one registry answered for the citizen: its values by field, when each attribute last changed. */
export type RegistryAnswer =
  | {
      available: true;
      /** When the hub read this answer from the registry (earlier than now when it came from the hub's cache). */
      retrievedAt: Date;
      /** The value of each of the registry's attributes for this citizen (null: the registry holds none). */
      value(definition: PrefillFieldDefinition): string | null;
      updatedAt(attribute: ConsentAttribute): Date | null;
    }
  | { available: false };

export type PrefillReason = 'NOT_CONSENTED' | 'UPSTREAM_UNAVAILABLE' | 'NOT_IN_REGISTRY';

export interface PrefilledField {
  field: string;
  label: string;
  attribute: ConsentAttribute;
  source: PrefillRegistry;
  value: string | null;
  sourceUpdatedAt: Date | null;
  retrievedAt: Date | null;
  /** Until when the portal may keep the value (retrievedAt + the consent's data life); null without a value. */
  keepUntil: Date | null;
  reason: PrefillReason | null;
}

/** The registries a prefill must ask: those of the consented fields only. */
export function registriesToAsk(fields: readonly PrefillFieldDefinition[], consented: readonly ConsentAttribute[]): PrefillRegistry[] {
  const granted = new Set(consented);
  return PREFILL_REGISTRIES.filter((r) => fields.some((f) => granted.has(f.attribute) && registryOf(f.attribute) === r));
}

/**
 * The declaration's fields, each filled from its registry when consented and answered: not consented
 * → no value (NOT_CONSENTED, the registry is not even asked); a registry down → UPSTREAM_UNAVAILABLE on
 * its fields only. Each value says until when the portal may keep it (the consent's data life).
 */
export function buildPrefill(
  fields: readonly PrefillFieldDefinition[],
  consented: readonly ConsentAttribute[],
  answers: Partial<Record<PrefillRegistry, RegistryAnswer>>,
  dataLifeSeconds: number,
): PrefilledField[] {
  const granted = new Set(consented);
  return fields.map((def) => {
    const source = registryOf(def.attribute);
    const base = { field: def.field, label: def.label, attribute: def.attribute, source };
    const empty = { value: null, sourceUpdatedAt: null, retrievedAt: null, keepUntil: null };
    if (!granted.has(def.attribute)) return { ...base, ...empty, reason: 'NOT_CONSENTED' as const };
    const answer = answers[source];
    if (!answer || !answer.available) return { ...base, ...empty, reason: 'UPSTREAM_UNAVAILABLE' as const };
    const value = answer.value(def);
    return {
      ...base,
      value,
      sourceUpdatedAt: answer.updatedAt(def.attribute),
      retrievedAt: answer.retrievedAt,
      keepUntil: keepUntil(value, answer.retrievedAt, dataLifeSeconds),
      reason: value === null ? ('NOT_IN_REGISTRY' as const) : null,
    };
  });
}
