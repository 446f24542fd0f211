import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../domain/clock';
import {
  requireDocumentCode,
  requireDocumentContent,
  requireSha256,
  type DocumentKind,
  type DocumentMediaType,
} from '../../domain/documents/document';
import { authorize } from '../../domain/access/access-policy';
import type { ClientPrincipal } from '../../domain/access/principal';
import { validUntilFor } from '../../domain/documents/document-validity';
import type { HeldDocumentSource, HeldDocumentStatus } from '../../domain/documents/held-document';
import { InvalidInputError, InvalidTransitionError, NotFoundError } from '../../domain/errors';
import { classifyApplicantId } from '../../domain/identifiers/applicant-id';
import type { DocumentSigner } from '../../domain/ports/document-signer.port';
import { usesOfDocument, type DocumentUse } from '../held-documents';
import type { UnitOfWork } from '../unit-of-work';
import { hashKey, insertDocument, newAccessKey, newDocumentCode, recordStatusChange, type VaultSettings } from './signed-documents';
import type { CatalogueService } from './catalogue.service';
import type { DossierService } from './dossier.service';

export interface DocumentRecord {
  code: string;
  kind: DocumentKind;
  title: string;
  mediaType: DocumentMediaType;
  /** Personal id or enterprise code of the person or organisation the document is about. */
  ownerId: string;
  dossierCode: string | null;
  /** The organisation that signed it. */
  agencyCode: string;
  agencyName: string;
  sha256: string;
  sizeBytes: number;
  signerSerial: string;
  signedAt: Date;
  createdBy: string;
  createdAt: Date;
  /** A document type of the catalogue; null for a paper nobody said the type of. */
  typeCode: string | null;
  /** When the paper was issued; the signing time for results. */
  issuedAt: Date;
  validUntil: Date | null;
  status: HeldDocumentStatus;
  source: HeldDocumentSource;
}

/** One change of a document's status, who made it and why. */
export interface DocumentStatusChange {
  from: HeldDocumentStatus;
  to: HeldDocumentStatus;
  at: Date;
  by: string;
  reason: string;
  supersededBy: string | null;
}

export interface DigitizeCommand {
  /** The agency whose seal signs the copy (the officer's agency). */
  agencyCode: string;
  /** The person or organisation the paper belongs to; defaults to the dossier's applicant. */
  ownerId?: string | undefined;
  dossierCode?: string | undefined;
  title: string;
  mediaType: string;
  content: Buffer;
  actor: string;
  /** The document type of the paper (reference/catalogue/document-types.json). */
  documentType?: string | undefined;
  /** When the paper was issued (the date on it); now by default. */
  issuedAt?: Date | undefined;
  /** The end date printed on the paper, for types whose validity is stated on the document. */
  validUntil?: Date | undefined;
}

interface DocumentRow {
  code: string;
  kind: DocumentKind;
  title: string;
  media_type: DocumentMediaType;
  owner_id: string;
  dossier_code: string | null;
  agency_code: string;
  agency_name: string;
  sha256: string;
  size_bytes: number | string;
  signer_serial: string;
  signed_at: Date | string;
  created_by: string;
  created_at: Date | string;
  access_key_hash: string;
  type_code: string | null;
  issued_at: Date | string;
  valid_until: Date | string | null;
  status: HeldDocumentStatus;
  source: HeldDocumentSource;
}

const RECORD_COLUMNS = `d.code, d.kind, d.title, d.media_type, d.owner_id, d.dossier_code, d.agency_code, a.name as agency_name, d.sha256,
  d.size_bytes, d.signer_serial, d.signed_at, d.created_by, d.created_at, d.access_key_hash, d.type_code, d.issued_at, d.valid_until,
  d.status, d.source`;

function toRecord(row: DocumentRow): DocumentRecord {
  return {
    code: row.code,
    kind: row.kind,
    title: row.title,
    mediaType: row.media_type,
    ownerId: row.owner_id,
    dossierCode: row.dossier_code,
    agencyCode: row.agency_code,
    agencyName: row.agency_name,
    sha256: row.sha256,
    sizeBytes: Number(row.size_bytes),
    signerSerial: row.signer_serial,
    signedAt: new Date(row.signed_at),
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
    typeCode: row.type_code,
    issuedAt: new Date(row.issued_at),
    validUntil: row.valid_until === null ? null : new Date(row.valid_until),
    status: row.status,
    source: row.source,
  };
}

/**
 * The document vault: digitized copies and results, stored with the signing agency's detached
 * signature over their SHA-256. A copy is signed before it is saved, in one step: the vault never
 * holds an unsigned document. The access key printed on a document lets the public fetch it.
 */
export class DocumentVault {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly catalogue: CatalogueService,
    private readonly dossiers: DossierService,
    private readonly signer: DocumentSigner,
    private readonly clock: Clock,
    private readonly vault: VaultSettings,
  ) {}

  /** The document type a desk names, checked against the catalogue and the owner's kind. */
  private documentType(code: string | undefined, ownerId: string) {
    if (code === undefined) return null;
    const type = this.vault.documentTypes.get(code.trim().toUpperCase());
    if (!type) {
      throw new InvalidInputError(`There is no document type ${code}: use a code of the document types (e.g. BIRTH_CERTIFICATE).`, {
        reason: 'DOCUMENT.UNKNOWN_TYPE',
        details: { documentType: code },
      });
    }
    const kind = classifyApplicantId(ownerId);
    if (!type.ownerKinds.includes(kind)) {
      throw new InvalidInputError(`A ${type.nameEn} is not issued to a ${kind === 'BUSINESS' ? 'business' : 'citizen'}.`, {
        reason: 'DOCUMENT.TYPE_NOT_FOR_OWNER',
        details: { documentType: type.code },
      });
    }
    return type;
  }

  /** Digitizes a paper (sao y): checks it, signs it with the agency's seal and stores both. Returns the access key once. */
  async digitize(command: DigitizeCommand): Promise<{ document: DocumentRecord; accessKey: string }> {
    const mediaType = requireDocumentContent(command.mediaType, command.content);
    const title = command.title.trim();
    if (title.length < 1 || title.length > 300) {
      throw new InvalidInputError('Give the paper a title of 1 to 300 characters (e.g. "Giấy khai sinh").', {
        reason: 'DOCUMENT.INVALID_TITLE',
      });
    }
    const dossier = command.dossierCode ? await this.dossiers.findByCode(command.dossierCode) : undefined;
    const ownerId = command.ownerId ?? dossier?.applicantId;
    if (!ownerId)
      throw new InvalidInputError('Say whose paper this is (ownerId) or which dossier it belongs to.', { reason: 'DOCUMENT.NO_OWNER' });
    classifyApplicantId(ownerId);
    if (dossier && dossier.applicantId !== ownerId) {
      throw new InvalidInputError(`Dossier ${dossier.code} is not about this owner.`, { reason: 'DOCUMENT.OWNER_MISMATCH' });
    }
    const type = this.documentType(command.documentType, ownerId);
    const now = this.clock.now();
    const issuedAt = command.issuedAt ?? now;
    if (issuedAt.getTime() > now.getTime()) {
      throw new InvalidInputError('The issue date of a paper cannot be in the future.', { reason: 'DOCUMENT.ISSUED_IN_FUTURE' });
    }
    const validUntil = validUntilFor(type, issuedAt, command.validUntil ?? null);
    const agency = await this.catalogue.agency(command.agencyCode);
    const sha256 = createHash('sha256').update(command.content).digest();
    const { signature, signerSerial } = await this.signer.signDigest({ code: agency.code, name: agency.name }, sha256, now);
    const code = newDocumentCode(agency.code, 'DIGITIZED_COPY', now);
    const accessKey = newAccessKey();
    await this.uow.run(async (em, events) => {
      const superseded = await insertDocument(em, this.vault, {
        code,
        kind: 'DIGITIZED_COPY',
        title,
        mediaType,
        ownerId,
        dossierCode: dossier?.code ?? null,
        agencyCode: agency.code,
        content: command.content,
        sha256,
        signature,
        signerSerial,
        jws: null,
        accessKeyHash: hashKey(accessKey),
        createdBy: command.actor,
        at: now,
        typeCode: type?.code ?? null,
        issuedAt,
        validUntil,
        source: 'DESK_SCAN',
      });
      // No owner in the event: subscribers learn what kind of paper entered the vault, not whose.
      events.record({
        type: 'document.digitized',
        subject: code,
        occurredAt: now,
        data: {
          code,
          typeCode: type?.code ?? null,
          agencyCode: agency.code,
          dossierCode: dossier?.code ?? null,
          issuedAt: issuedAt.toISOString(),
          validUntil: validUntil?.toISOString() ?? null,
          at: now.toISOString(),
        },
      });
      for (const event of superseded) events.record(event);
    });
    return { document: await this.get(code), accessKey };
  }

  async get(code: string): Promise<DocumentRecord> {
    return toRecord(await this.row(code));
  }

  private async row(code: string): Promise<DocumentRow> {
    requireDocumentCode(code);
    const rows = await this.uow
      .reader()
      .execute<DocumentRow[]>(`select ${RECORD_COLUMNS} from document d join agency a on a.code = d.agency_code where d.code = ?`, [code]);
    if (!rows[0]) throw new NotFoundError(`There is no document with code ${code}.`, { reason: 'DOCUMENT.NOT_FOUND' });
    return rows[0];
  }

  /** Documents with this SHA-256 (the same file digitized more than once), newest first. */
  async findBySha256(sha256: string): Promise<DocumentRecord[]> {
    const rows = await this.uow
      .reader()
      .execute<DocumentRow[]>(
        `select ${RECORD_COLUMNS} from document d join agency a on a.code = d.agency_code where d.sha256 = ? order by d.created_at desc limit 20`,
        [requireSha256(sha256)],
      );
    return rows.map(toRecord);
  }

  /** The file (from storage; rows kept before the storage port hold their bytes) and its signatures. */
  async content(code: string): Promise<{ content: Buffer; signature: Buffer; jws: string | null }> {
    requireDocumentCode(code);
    const rows = await this.uow
      .reader()
      .execute<{ content: Buffer | null; storage_key: string | null; signature: Buffer; jws: string | null }[]>(
        'select content, storage_key, signature, jws from document where code = ?',
        [code],
      );
    const row = rows[0];
    if (!row) throw new NotFoundError(`There is no document with code ${code}.`, { reason: 'DOCUMENT.NOT_FOUND' });
    const content = row.content ?? (await this.vault.storage.get(row.storage_key!));
    return { content, signature: row.signature, jws: row.jws };
  }

  /**
   * Revokes a document (issued in error, annulled, found false): only its issuing agency may, with a
   * reason. It still verifies cryptographically; reception and verification show it REVOKED.
   */
  async revoke(code: string, reason: string, as: ClientPrincipal): Promise<DocumentRecord> {
    requireDocumentCode(code);
    const why = reason.trim();
    if (why.length < 1 || why.length > 1000) {
      throw new InvalidInputError('Say why the document is revoked, in 1 to 1000 characters.', { reason: 'DOCUMENT.REVOKE_REASON' });
    }
    const now = this.clock.now();
    await this.uow.run(async (em, events) => {
      const rows = await em.execute<{ agency_code: string; status: HeldDocumentStatus; type_code: string | null }[]>(
        'select agency_code, status, type_code from document where code = ? for update',
        [code],
      );
      const row = rows[0];
      if (!row) throw new NotFoundError(`There is no document with code ${code}.`, { reason: 'DOCUMENT.NOT_FOUND' });
      authorize(as, { action: 'document.revoke', agencyCode: row.agency_code });
      if (row.status === 'REVOKED') {
        throw new InvalidTransitionError(`Document ${code} is already revoked.`, { reason: 'DOCUMENT.ALREADY_REVOKED' });
      }
      await em.execute(`update document set status = 'REVOKED' where code = ?`, [code]);
      await recordStatusChange(em, { documentCode: code, from: row.status, to: 'REVOKED', at: now, by: as.clientId, reason: why });
      // The reason stays in the vault's history: free text may name the owner.
      events.record({
        type: 'document.revoked',
        subject: code,
        occurredAt: now,
        data: { code, typeCode: row.type_code, agencyCode: row.agency_code, previousStatus: row.status, at: now.toISOString() },
      });
    });
    return this.get(code);
  }

  /** The document's status changes, oldest first. */
  async statusHistory(code: string): Promise<DocumentStatusChange[]> {
    const rows = await this.uow.reader().execute<
      {
        from_status: HeldDocumentStatus;
        to_status: HeldDocumentStatus;
        changed_at: Date | string;
        changed_by: string;
        reason: string;
        superseded_by: string | null;
      }[]
    >('select from_status, to_status, changed_at, changed_by, reason, superseded_by from document_status_change where document_code = ? order by id', [requireDocumentCode(code)]);
    return rows.map((row) => ({
      from: row.from_status,
      to: row.to_status,
      at: new Date(row.changed_at),
      by: row.changed_by,
      reason: row.reason,
      supersededBy: row.superseded_by,
    }));
  }

  /** The dossiers that used the document for one of their papers. */
  uses(code: string): Promise<DocumentUse[]> {
    return usesOfDocument(this.uow.reader(), requireDocumentCode(code));
  }

  /** Whether `key` is the access key printed on the document (compared in constant time). */
  async accessKeyMatches(code: string, key: string): Promise<boolean> {
    const expected = Buffer.from((await this.row(code)).access_key_hash, 'hex');
    const given = Buffer.from(hashKey(key.trim().toUpperCase()), 'hex');
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
