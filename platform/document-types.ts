import { readFileSync } from 'node:fs';
import { DOCUMENT_TYPE_CODE, type DocumentTypeDefinition } from '../domain/documents/document-type';
import { InvalidInputError } from '../domain/errors';
import { fromProjectRoot } from './paths';

/** The document types the vault knows, by code. */
export type DocumentTypeCatalogue = ReadonlyMap<string, DocumentTypeDefinition>;

export function shippedDocumentTypesPath(): string {
  return fromProjectRoot('reference', 'catalogue', 'document-types.json');
}

const VALIDITY_KINDS = new Set(['never-expires', 'expires-after-months', 'stated-on-document']);

/** Checks the shape of DocumentTypeDefinition (domain/documents/document-type.ts), naming the first problem. */
export function parseDocumentTypes(json: unknown, file = 'document-types.json'): DocumentTypeCatalogue {
  const list = Array.isArray(json) ? json : (json as { documentTypes?: unknown } | null)?.documentTypes;
  const bad = (where: string, what: string) =>
    new InvalidInputError(`In ${file}: ${where}: ${what}.`, { reason: 'DOCUMENT_TYPES.INVALID_DATA' });
  if (!Array.isArray(list)) throw bad('top level', 'expected a list of document types (or { documentTypes: [...] })');
  const types = new Map<string, DocumentTypeDefinition>();
  list.forEach((entry: Partial<DocumentTypeDefinition>, index) => {
    const at = `[${index}]`;
    if (typeof entry?.code !== 'string' || !DOCUMENT_TYPE_CODE.test(entry.code)) throw bad(`${at}.code`, 'expected UPPER_CASE_WORDS');
    if (types.has(entry.code)) throw bad(`${at}.code`, `${entry.code} appears twice`);
    if (typeof entry.name !== 'string' || typeof entry.nameEn !== 'string') throw bad(at, 'expected name and nameEn');
    const validity = entry.validity as { kind?: string; months?: unknown } | undefined;
    if (!validity || !VALIDITY_KINDS.has(validity.kind ?? ''))
      throw bad(`${at}.validity.kind`, 'expected one of ' + [...VALIDITY_KINDS].join(', '));
    if (validity.kind === 'expires-after-months' && !(Number.isInteger(validity.months) && (validity.months as number) > 0)) {
      throw bad(`${at}.validity.months`, 'expected a whole number of months above 0');
    }
    if (typeof entry.supersededByNewer !== 'boolean') throw bad(`${at}.supersededByNewer`, 'expected true or false');
    if (!Array.isArray(entry.ownerKinds) || entry.ownerKinds.some((kind) => kind !== 'CITIZEN' && kind !== 'BUSINESS')) {
      throw bad(`${at}.ownerKinds`, 'expected CITIZEN and/or BUSINESS');
    }
    types.set(entry.code, entry as DocumentTypeDefinition);
  });
  return types;
}

/**
 * The document types of the catalogue (reference/catalogue/document-types.json). A hub whose
 * catalogue has no such file yet knows no types: every paper is kept typeless and a `documentType`
 * given is refused as unknown.
 */
export function loadDocumentTypes(file = shippedDocumentTypesPath()): DocumentTypeCatalogue {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  return parseDocumentTypes(JSON.parse(text) as unknown, file);
}
