import { readFileSync } from 'node:fs';
import { parsePrefillFields, type PrefillFieldLists } from '../domain/consent/prefill';
import { fromProjectRoot } from './paths';

/** The fields of each procedure's declaration a prefill fills, relative to the project root. */
export const PREFILL_FIELDS_FILE = 'reference/catalogue/prefill-fields.json';
const PROCEDURES_FILE = 'reference/catalogue/procedures.json';

let shipped: PrefillFieldLists | undefined;

/** Reads and validates a prefill field file against the catalogue's procedure codes. */
export function loadPrefillFields(file: string, proceduresFile: string): PrefillFieldLists {
  const codes = new Set((JSON.parse(readFileSync(proceduresFile, 'utf8')) as { code: string }[]).map((p) => p.code));
  return parsePrefillFields(JSON.parse(readFileSync(file, 'utf8')) as unknown, codes);
}

/** The shipped field lists, read once per process. */
export function shippedPrefillFields(): PrefillFieldLists {
  shipped ??= loadPrefillFields(fromProjectRoot(PREFILL_FIELDS_FILE), fromProjectRoot(PROCEDURES_FILE));
  return shipped;
}
