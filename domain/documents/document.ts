import { InvalidInputError } from '../errors';

/**
 * Documents the hub keeps: a digitized copy of a paper (sao y, Decree 30/2020: the scan plus the
 * organisation's digital signature) or the result of a procedure. Each has a code printed on it,
 * by which it is fetched and verified, and an access key printed beside it for the public.
 */
export type DocumentKind = 'DIGITIZED_COPY' | 'RESULT';

const KIND_MARK: Record<DocumentKind, string> = { DIGITIZED_COPY: 'SY', RESULT: 'KQ' };
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U to misread

/** `<agency code>-SY-YYMMDD-XXXXXXXX`: the agency, the kind, the day (Vietnam) and 8 random characters. */
export function formatDocumentCode(
  agencyCode: string,
  kind: DocumentKind,
  day: { year: number; month: number; day: number },
  random: Uint8Array,
): string {
  if (random.length < 8) throw new RangeError('a document code needs 8 random bytes');
  const date = `${String(day.year % 100).padStart(2, '0')}${String(day.month).padStart(2, '0')}${String(day.day).padStart(2, '0')}`;
  const suffix = Array.from(random.slice(0, 8), (byte) => ALPHABET[byte % 32]).join('');
  return `${agencyCode}-${KIND_MARK[kind]}-${date}-${suffix}`;
}

export const DOCUMENT_CODE = /^[0-9A-Z.]{3,40}-(SY|KQ)-[0-9]{6}-[0-9A-Z]{8}$/;

export function requireDocumentCode(value: string, field = 'documentCode'): string {
  if (!DOCUMENT_CODE.test(value)) {
    throw new InvalidInputError(`"${value.slice(0, 60)}" is not a document code; they look like 000.19.31.H46-SY-261203-7K3QX9AB.`, {
      reason: 'DOCUMENT.INVALID_CODE',
      details: { field },
    });
  }
  return value;
}

export function requireSha256(value: string, field = 'sha256'): string {
  const normalised = value.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(normalised)) {
    throw new InvalidInputError('A SHA-256 hash is 64 hexadecimal characters.', { reason: 'DOCUMENT.INVALID_SHA256', details: { field } });
  }
  return normalised;
}

/** What can be digitized and served: PDF and the common scan formats. */
export const DOCUMENT_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff'] as const;
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number];

/** The first bytes each format starts with: a file must be what it claims. */
const MAGIC: Record<DocumentMediaType, number[][]> = {
  'application/pdf': [[0x25, 0x50, 0x44, 0x46, 0x2d]],
  'image/jpeg': [[0xff, 0xd8, 0xff]],
  'image/png': [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  'image/tiff': [
    [0x49, 0x49, 0x2a, 0x00],
    [0x4d, 0x4d, 0x00, 0x2a],
  ],
};

export function requireDocumentContent(mediaType: string, content: Uint8Array): DocumentMediaType {
  if (!(DOCUMENT_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
    throw new InvalidInputError(`Documents are ${DOCUMENT_MEDIA_TYPES.join(', ')}; got ${mediaType.slice(0, 60) || 'no type'}.`, {
      reason: 'DOCUMENT.UNSUPPORTED_TYPE',
    });
  }
  if (content.length === 0) throw new InvalidInputError('The document is empty.', { reason: 'DOCUMENT.EMPTY' });
  const type = mediaType as DocumentMediaType;
  if (!MAGIC[type].some((magic) => magic.every((byte, i) => content[i] === byte))) {
    throw new InvalidInputError(`The file is not a ${type} file (its first bytes say otherwise).`, { reason: 'DOCUMENT.CONTENT_MISMATCH' });
  }
  return type;
}
