import { InvalidInputError } from '../errors';
import { validUntilOf, type DocumentTypeDefinition } from './document-type';
import type { HeldDocument } from './held-document';

/**
 * Until when a new document counts, from its type's validity rule: never-expires → null, N months
 * after its issue date, or the end date stated on the document (which the caller must then give).
 */
export function validUntilFor(type: DocumentTypeDefinition | null, issuedAt: Date, stated: Date | null): Date | null {
  if (!type) {
    // Nobody said what the paper is: its own stated end, if any, is all we know.
    return stated;
  }
  if (type.validity.kind === 'stated-on-document') {
    if (!stated) {
      throw new InvalidInputError(`A ${type.nameEn} states its own end date: give it as validUntil.`, {
        reason: 'DOCUMENT.VALIDITY_REQUIRED',
      });
    }
    if (stated.getTime() <= issuedAt.getTime()) {
      throw new InvalidInputError('validUntil must come after the issue date.', { reason: 'DOCUMENT.VALIDITY_BEFORE_ISSUE' });
    }
    return stated;
  }
  if (stated) {
    // Its end follows from the type's rule: a date typed in could only disagree with it.
    throw new InvalidInputError(`The validity of a ${type.nameEn} follows from its type and issue date: give no validUntil.`, {
      reason: 'DOCUMENT.VALIDITY_NOT_STATED',
    });
  }
  return validUntilOf(type.validity, issuedAt, null);
}

/**
 * The documents a newer one supersedes: for a type with `supersededByNewer`, the owner's other VALID
 * documents of the same type issued no later than it. A document issued later stays: a late scan of
 * an old paper does not replace a newer one.
 */
export function supersededBy(
  newer: Pick<HeldDocument, 'code' | 'ownerId' | 'typeCode' | 'issuedAt'>,
  type: DocumentTypeDefinition | null,
  held: readonly HeldDocument[],
): string[] {
  if (!type?.supersededByNewer || newer.typeCode !== type.code || newer.ownerId === null) return [];
  return held
    .filter(
      (d) =>
        d.code !== newer.code &&
        d.status === 'VALID' &&
        d.ownerId === newer.ownerId &&
        d.typeCode === type.code &&
        d.issuedAt.getTime() <= newer.issuedAt.getTime(),
    )
    .map((d) => d.code);
}
