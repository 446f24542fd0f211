import { readFileSync } from 'node:fs';
import { fromVietnamLocal, formatPortalTimestamp } from '../../../domain/time/vietnam-time';
import { fromProjectRoot } from '../../../platform/paths';
import { hashWords } from '../../population/simulator/seeded-random';
import type { CatalogueFee, CatalogueProcedure, ResolutionRule } from '../portal.types';

/** The procedures the hub works with: the national catalogue the portal publishes. */
export function defaultCataloguePath(): string {
  return fromProjectRoot('reference', 'catalogue', 'procedures.json');
}

/**
 * The field's code as the simulator publishes it: the field name without diacritics, in capitals
 * (`Hộ tịch` → `HO_TICH`). The real portal's field codes are not known; a slug keeps them readable
 * and stable.
 */
export function fieldCodeOf(field: string): string {
  return field
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'D')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

// The catalogue file has no update times: each procedure gets a fixed one between the
// 1 July 2025 reorganisation and 1 October 2025, derived from its code.
const UPDATES_FROM = fromVietnamLocal(2025, 7, 1);
const UPDATES_SPAN_SECONDS = (fromVietnamLocal(2025, 10, 1).getTime() - UPDATES_FROM.getTime()) / 1000;

export function syntheticUpdatedAt(code: string): string {
  const hash = hashWords(...Array.from(code, (char) => char.charCodeAt(0)));
  return formatPortalTimestamp(new Date(UPDATES_FROM.getTime() + (hash % UPDATES_SPAN_SECONDS) * 1000));
}

interface CatalogueFileEntry {
  code: string;
  name: string;
  field: string;
  level: 'commune' | 'province';
  resolution: ResolutionRule;
  fees: CatalogueFee[];
}

/** The catalogue entries of a procedures.json file (the hub's catalogue format), in file order. */
export function loadCatalogue(path: string = defaultCataloguePath()): CatalogueProcedure[] {
  const entries = JSON.parse(readFileSync(path, 'utf8')) as CatalogueFileEntry[];
  if (!Array.isArray(entries)) throw new Error(`${path}: expected an array of procedures`);
  return entries.map((entry) => ({
    code: entry.code,
    name: entry.name,
    field: entry.field,
    fieldCode: fieldCodeOf(entry.field),
    level: entry.level,
    resolution: entry.resolution,
    fees: entry.fees.map((fee) => ({ name: fee.name, amountVnd: fee.amountVnd, note: fee.note ?? null })),
    updatedAt: syntheticUpdatedAt(entry.code),
  }));
}
