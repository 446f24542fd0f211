import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../domain/clock';
import {
  requireDocumentCode,
  requireDocumentContent,
  requireSha256,
  type DocumentKind,
  type DocumentMediaType,
} from '../../domain/documents/document';
import { InvalidInputError, NotFoundError } from '../../domain/errors';
import { classifyApplicantId } from '../../domain/identifiers/applicant-id';
import type { DocumentSigner } from '../../domain/ports/document-signer.port';
import type { UnitOfWork } from '../unit-of-work';
import { hashKey, insertDocument, newAccessKey, newDocumentCode } from './signed-documents';
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
}

const RECORD_COLUMNS = `d.code, d.kind, d.title, d.media_type, d.owner_id, d.dossier_code, d.agency_code, a.name as agency_name, d.sha256,
  octet_length(d.content) as size_bytes, d.signer_serial, d.signed_at, d.created_by, d.created_at, d.access_key_hash`;

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
  ) {}

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
    const agency = await this.catalogue.agency(command.agencyCode);
    const now = this.clock.now();
    const sha256 = createHash('sha256').update(command.content).digest();
    const { signature, signerSerial } = await this.signer.signDigest({ code: agency.code, name: agency.name }, sha256, now);
    const code = newDocumentCode(agency.code, 'DIGITIZED_COPY', now);
    const accessKey = newAccessKey();
    await insertDocument(this.uow.reader(), {
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

  async content(code: string): Promise<{ content: Buffer; signature: Buffer; jws: string | null }> {
    requireDocumentCode(code);
    const rows = await this.uow
      .reader()
      .execute<{ content: Buffer; signature: Buffer; jws: string | null }[]>(
        'select content, signature, jws from document where code = ?',
        [code],
      );
    if (!rows[0]) throw new NotFoundError(`There is no document with code ${code}.`, { reason: 'DOCUMENT.NOT_FOUND' });
    return rows[0];
  }

  /** Whether `key` is the access key printed on the document (compared in constant time). */
  async accessKeyMatches(code: string, key: string): Promise<boolean> {
    const expected = Buffer.from((await this.row(code)).access_key_hash, 'hex');
    const given = Buffer.from(hashKey(key.trim().toUpperCase()), 'hex');
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
