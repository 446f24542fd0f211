import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProcedureDefinition } from '../../domain/catalogue/procedure-definition';
import { formatDocumentCode, type DocumentKind } from '../../domain/documents/document';
import type { DocumentTypeDefinition } from '../../domain/documents/document-type';
import { supersededBy, validUntilFor } from '../../domain/documents/document-validity';
import type { HeldDocumentSource } from '../../domain/documents/held-document';
import type { DomainEvent } from '../../domain/events/dossier-events';
import type { DocumentSigner, ResultRecord } from '../../domain/ports/document-signer.port';
import type { DocumentStorage } from '../../domain/ports/document-storage.port';
import { toVietnamLocal } from '../../domain/time/vietnam-time';
import type { DocumentTypeCatalogue } from '../../platform/document-types';
import type { AgencyEntity } from '../entities/agency.entity';
import type { DossierEntity } from '../entities/dossier.entity';
import { heldDocumentsOf } from '../held-documents';

/** Writing signed documents into the vault, shared by the vault itself and the recording of results. */

/** Where the vault keeps files and which document types it knows. */
export interface VaultSettings {
  storage: DocumentStorage;
  documentTypes: DocumentTypeCatalogue;
}

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Crockford base32, as on the document code: easy to read out and type. */
export function newAccessKey(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return Array.from(randomBytes(10), (byte) => alphabet[byte % 32]).join('');
}

export interface NewDocument {
  code: string;
  kind: DocumentKind;
  title: string;
  mediaType: string;
  ownerId: string;
  dossierCode: string | null;
  agencyCode: string;
  content: Buffer;
  sha256: Buffer;
  signature: Buffer;
  signerSerial: string;
  jws: string | null;
  accessKeyHash: string;
  createdBy: string;
  at: Date;
  typeCode: string | null;
  /** When the paper itself was issued (a birth certificate of 1990 digitized today); `at` by default. */
  issuedAt?: Date;
  validUntil: Date | null;
  source: HeldDocumentSource;
}

/** The storage key of a document's file: one folder per month, so no folder grows without bound. */
export function storageKeyOf(code: string, at: Date): string {
  const local = toVietnamLocal(at);
  return `${local.year}/${String(local.month).padStart(2, '0')}/${code}`;
}

/**
 * Writes a signed document (in the caller's transaction when `em` is one): its file through the
 * storage port first, then its row. A rolled-back transaction leaves at most an unreferenced file,
 * never a row without its file. A newer document of a superseding type supersedes the owner's older
 * ones of that type in the same transaction; the returned events say so.
 */
export async function insertDocument(em: EntityManager, vault: VaultSettings, d: NewDocument): Promise<DomainEvent[]> {
  const storageKey = storageKeyOf(d.code, d.at);
  await vault.storage.put(storageKey, d.content);
  const issuedAt = d.issuedAt ?? d.at;
  await em.execute(
    `insert into document (code, kind, title, media_type, owner_id, dossier_code, agency_code, content, storage_key, size_bytes, sha256, signature,
       signer_serial, jws, signed_at, access_key_hash, created_by, created_at, type_code, issued_at, valid_until, status, source)
     values (?, ?, ?, ?, ?, ?, ?, null, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'VALID', ?)`,
    [
      d.code,
      d.kind,
      d.title,
      d.mediaType,
      d.ownerId,
      d.dossierCode,
      d.agencyCode,
      storageKey,
      d.content.length,
      d.sha256.toString('hex'),
      d.signature,
      d.signerSerial,
      d.jws,
      d.at,
      d.accessKeyHash,
      d.createdBy,
      d.at,
      d.typeCode,
      issuedAt,
      d.validUntil,
      d.source,
    ],
  );
  return supersedeOlder(em, vault, { code: d.code, ownerId: d.ownerId, typeCode: d.typeCode, issuedAt }, d.createdBy, d.at);
}

/** Marks the owner's older documents a newer one replaces as SUPERSEDED, with their history. */
async function supersedeOlder(
  em: EntityManager,
  vault: VaultSettings,
  newer: { code: string; ownerId: string; typeCode: string | null; issuedAt: Date },
  actor: string,
  at: Date,
): Promise<DomainEvent[]> {
  const type = newer.typeCode ? (vault.documentTypes.get(newer.typeCode) ?? null) : null;
  if (!type?.supersededByNewer) return [];
  const codes = supersededBy(newer, type, await heldDocumentsOf(em, newer.ownerId, [type.code]));
  const events: DomainEvent[] = [];
  for (const code of codes) {
    // Only a row still VALID is changed: a concurrent revocation wins and is not overwritten.
    const changed = await em.execute<{ code: string }[]>(
      `update document set status = 'SUPERSEDED' where code = ? and status = 'VALID' returning code`,
      [code],
    );
    if (changed.length === 0) continue;
    await recordStatusChange(em, {
      documentCode: code,
      from: 'VALID',
      to: 'SUPERSEDED',
      at,
      by: actor,
      reason: `Thay thế bởi giấy tờ mới hơn cùng loại ${newer.code}`,
      supersededBy: newer.code,
    });
    events.push({
      type: 'document.superseded',
      subject: code,
      occurredAt: at,
      data: { code, supersededBy: newer.code, typeCode: type.code, at: at.toISOString() },
    });
  }
  return events;
}

export interface StatusChange {
  documentCode: string;
  from: 'VALID' | 'REVOKED' | 'SUPERSEDED';
  to: 'VALID' | 'REVOKED' | 'SUPERSEDED';
  at: Date;
  by: string;
  reason: string;
  supersededBy?: string | null;
}

export async function recordStatusChange(em: EntityManager, change: StatusChange): Promise<void> {
  await em.execute(
    `insert into document_status_change (document_code, from_status, to_status, changed_at, changed_by, reason, superseded_by) values (?, ?, ?, ?, ?, ?, ?)`,
    [change.documentCode, change.from, change.to, change.at, change.by, change.reason, change.supersededBy ?? null],
  );
}

export function newDocumentCode(agencyCode: string, kind: DocumentKind, at: Date): string {
  const local = toVietnamLocal(at);
  return formatDocumentCode(agencyCode, kind, { year: local.year, month: local.month, day: local.day }, randomBytes(8));
}

/**
 * The type a procedure's result is and until when it counts. A type the catalogue does not know (data
 * out of step) is still recorded by code, without a validity rule; a type whose end is stated on the
 * document counts until revoked or superseded, since recording a result states no end date.
 */
function resultType(
  dossier: DossierEntity,
  types: DocumentTypeCatalogue,
): { typeCode: string | null; type: DocumentTypeDefinition | null } {
  const typeCode = (dossier.procedure.definition as Partial<ProcedureDefinition>).resultDocumentType ?? null;
  return { typeCode, type: typeCode ? (types.get(typeCode) ?? null) : null };
}

/**
 * The signed result of a dossier (Decree 30/2020: signed by the organisation): the result record as
 * JSON, signed as a JWS and with a detached CMS signature by the resolving agency's seal, kept in
 * the vault within the transaction that records the result, as a document of the procedure's result
 * type owned by the applicant. Returns its code, access key, and the events of the documents it superseded.
 */
export async function issueSignedResult(
  em: EntityManager,
  signer: DocumentSigner,
  result: { dossier: DossierEntity; agency: AgencyEntity; summary: string; externalDocumentCode: string | null; actor: string; at: Date },
  vault: VaultSettings,
): Promise<{ code: string; accessKey: string; signerSerial: string; events: DomainEvent[] }> {
  const { dossier, agency, at } = result;
  const code = newDocumentCode(agency.code, 'RESULT', at);
  const record: ResultRecord = {
    type: 'onestop-hub/result/v1',
    documentCode: code,
    dossierCode: dossier.code,
    procedure: { code: dossier.procedure.code, name: dossier.procedure.name },
    agency: { code: agency.code, name: agency.name },
    applicantId: dossier.applicantId,
    summary: result.summary,
    resolvedAt: at.toISOString(),
    completion: dossier.completion ?? null,
    externalDocumentCode: result.externalDocumentCode,
  };
  const accessKey = newAccessKey();
  // The vault keeps the signed notice (PDF), the CMS over it (what it verifies) and the record's JWS.
  const {
    pdf: content,
    pdfSignature: signature,
    jws,
    signerSerial,
  } = await signer.signResult({ code: agency.code, name: agency.name }, record, accessKey, at);
  const sha256 = createHash('sha256').update(content).digest();
  const { typeCode, type } = resultType(dossier, vault.documentTypes);
  const events = await insertDocument(em, vault, {
    code,
    kind: 'RESULT',
    title: `Kết quả giải quyết hồ sơ ${dossier.code}`,
    mediaType: 'application/pdf',
    ownerId: dossier.applicantId,
    dossierCode: dossier.code,
    agencyCode: agency.code,
    content,
    sha256,
    signature,
    signerSerial,
    jws,
    accessKeyHash: hashKey(accessKey),
    createdBy: result.actor,
    at,
    typeCode,
    validUntil: type && type.validity.kind !== 'stated-on-document' ? validUntilFor(type, at, null) : null,
    source: 'DOSSIER_RESULT',
  });
  return { code, accessKey, signerSerial, events };
}
