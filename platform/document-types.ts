import { readFileSync } from 'node:fs';
import { parseDocumentTypes } from '../domain/catalogue/catalogue-validation';
import type { DocumentTypeDefinition } from '../domain/documents/document-type';
import { fromProjectRoot } from './paths';

/** The shipped document types, relative to the project root. */
export const DOCUMENT_TYPES_FILE = 'reference/catalogue/document-types.json';

let shipped: readonly DocumentTypeDefinition[] | undefined;

/** Reads and validates a document-type file; throws InvalidInputError listing every problem. */
export function loadDocumentTypes(file: string): DocumentTypeDefinition[] {
  return parseDocumentTypes(JSON.parse(readFileSync(file, 'utf8')) as unknown);
}

/** The shipped document types (reference/catalogue/document-types.json), read once per process. */
export function shippedDocumentTypes(): readonly DocumentTypeDefinition[] {
  shipped ??= Object.freeze(loadDocumentTypes(fromProjectRoot(DOCUMENT_TYPES_FILE)));
  return shipped;
}

/** Document types by code, as the vault looks them up. */
export type DocumentTypeCatalogue = ReadonlyMap<string, DocumentTypeDefinition>;

export function documentTypeCatalogue(types: readonly DocumentTypeDefinition[]): DocumentTypeCatalogue {
  return new Map(types.map((type) => [type.code, type]));
}
