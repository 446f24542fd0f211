import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { formatDocumentCode, type DocumentKind } from '../../domain/documents/document';
import type { DocumentSigner, ResultRecord } from '../../domain/ports/document-signer.port';
import { toVietnamLocal } from '../../domain/time/vietnam-time';
import type { AgencyEntity } from '../entities/agency.entity';
import type { DossierEntity } from '../entities/dossier.entity';

/** Writing signed documents into the vault, shared by the vault itself and the recording of results. */

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
}

/** Writes a signed document (in the caller's transaction when `em` is one). */
export async function insertDocument(em: EntityManager, d: NewDocument): Promise<void> {
  await em.execute(
    `insert into document (code, kind, title, media_type, owner_id, dossier_code, agency_code, content, sha256, signature, signer_serial, jws, signed_at, access_key_hash, created_by, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      d.code,
      d.kind,
      d.title,
      d.mediaType,
      d.ownerId,
      d.dossierCode,
      d.agencyCode,
      d.content,
      d.sha256.toString('hex'),
      d.signature,
      d.signerSerial,
      d.jws,
      d.at,
      d.accessKeyHash,
      d.createdBy,
      d.at,
    ],
  );
}

export function newDocumentCode(agencyCode: string, kind: DocumentKind, at: Date): string {
  const local = toVietnamLocal(at);
  return formatDocumentCode(agencyCode, kind, { year: local.year, month: local.month, day: local.day }, randomBytes(8));
}

/**
 * The signed result of a dossier (Decree 30/2020: signed by the organisation): the result record as
 * JSON, signed as a JWS and with a detached CMS signature by the resolving agency's seal, kept in
 * the vault within the transaction that records the result. Returns its code and access key.
 */
export async function issueSignedResult(
  em: EntityManager,
  signer: DocumentSigner,
  result: { dossier: DossierEntity; agency: AgencyEntity; summary: string; externalDocumentCode: string | null; actor: string; at: Date },
): Promise<{ code: string; accessKey: string; signerSerial: string }> {
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
  await insertDocument(em, {
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
  });
  return { code, accessKey, signerSerial };
}
