import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { scopeOf } from '../store/dossier-scope';
import { requireDocumentCode, requireSha256 } from '../domain/documents/document';
import type { VerificationReport } from '../domain/documents/verification-report';
import { InvalidInputError, NotFoundError } from '../domain/errors';
import type { DigitizeCommand, DocumentRecord } from '../store/services/document-vault.service';
import { authorize, requireClient } from '../domain/access/access-policy';
import type { Principal } from '../domain/access/principal';
import type { HubContext, HubServices } from './context';
import {
  DigitizedDocument,
  DigitizeDocumentInput,
  DocumentStatus,
  DocumentStatusReport,
  DocumentVerification,
  Indication,
  SignedResult,
} from './types/document.type';
import { Dossier } from './types/dossier.type';

const dateOrNull = (value: string | null) => (value ? new Date(value) : null);

/** The report as GraphQL serves it: dates as dates, the document without its owner. */
export function toDocumentVerification(record: DocumentRecord | null, report: VerificationReport, verifiedAt: Date): DocumentVerification {
  return {
    indication: Indication[report.indication],
    subIndication: report.subIndication,
    documentSha256: record?.sha256 ?? report.documentSha256,
    document: record && {
      code: record.code,
      kind: record.kind,
      title: record.title,
      mediaType: record.mediaType,
      sizeBytes: record.sizeBytes,
      agencyName: record.agencyName,
      signedAt: record.signedAt,
      typeCode: record.typeCode,
      issuedAt: record.issuedAt,
      validUntil: record.validUntil,
      status: DocumentStatus[record.status],
    },
    signatures: report.signatures.map((s) => ({
      ...s,
      indication: Indication[s.indication],
      signingTime: dateOrNull(s.signingTime),
      timestamp: dateOrNull(s.timestamp),
      chain: s.chain.map((c) => ({ ...c, notBefore: new Date(c.notBefore), notAfter: new Date(c.notAfter) })),
      revocation: { ...s.revocation, crlThisUpdate: dateOrNull(s.revocation.crlThisUpdate), revokedAt: dateOrNull(s.revocation.revokedAt) },
    })),
    verifiedAt,
  };
}

@Resolver()
export class DocumentResolver {
  @Query(() => DocumentVerification, {
    description:
      'Verifies a document the hub keeps, by its code (printed on it) or the SHA-256 of the file in hand: integrity, each signature, the chain to the trusted root, validity at signing time, revocation then and now. Open to everyone; shows no personal data.',
  })
  async verifyDocument(
    @Ctx() context: HubContext,
    @Arg('documentCode', () => String, { nullable: true }) documentCode?: string | null,
    @Arg('sha256', () => String, { nullable: true }) sha256?: string | null,
  ): Promise<DocumentVerification> {
    const vault = context.services.documents;
    if (!documentCode && !sha256) {
      throw new InvalidInputError('Give the document code printed on the document, or the SHA-256 of the file.', {
        reason: 'DOCUMENT.NOTHING_TO_VERIFY',
      });
    }
    let record: DocumentRecord;
    if (documentCode) {
      record = await vault.get(requireDocumentCode(documentCode));
      if (sha256 && requireSha256(sha256) !== record.sha256) {
        throw new InvalidInputError('This file is not the document with that code: their SHA-256 differ.', {
          reason: 'DOCUMENT.HASH_MISMATCH',
        });
      }
    } else {
      const found = await vault.findBySha256(requireSha256(sha256!));
      if (!found[0]) throw new NotFoundError('The hub keeps no document with this SHA-256.', { reason: 'DOCUMENT.NOT_FOUND' });
      record = found[0];
    }
    return toDocumentVerification(record, await verifyKept(context.services, record.code), context.services.clock.now());
  }
}

@Resolver(() => Dossier)
export class DossierResultResolver {
  @FieldResolver(() => SignedResult, {
    nullable: true,
    description: 'The signed result, once the result is recorded: its document and whether its signature verifies now.',
  })
  async signedResult(@Root() dossier: Dossier, @Ctx() context: HubContext): Promise<SignedResult | null> {
    const code = dossier.resultDocumentCode;
    if (!code || !/-KQ-/.test(code)) return null;
    const record = await context.services.documents.get(code);
    const report = await verifyKept(context.services, code);
    return {
      documentCode: record.code,
      signedAt: record.signedAt,
      agencyName: record.agencyName,
      signerSerial: record.signerSerial,
      verification: Indication[report.indication],
      verificationSubIndication: report.subIndication,
    };
  }
}

/**
 * Digitizing as a caller may: an agency client, with its own seal, acting on the dossier it names.
 * Shared by the GraphQL mutation and POST /documents; `content` is read after the seal is allowed.
 */
export async function digitizeAs(
  principal: Principal,
  services: HubServices,
  request: Omit<DigitizeCommand, 'agencyCode' | 'actor' | 'content'> & { content: () => Buffer },
): Promise<{ document: DocumentRecord; accessKey: string }> {
  requireClient(principal);
  authorize(principal, { action: 'document.digitize', agencyCode: principal.agencyCode ?? '' });
  const content = request.content();
  if (request.dossierCode) {
    const dossier = scopeOf(await services.dossiers.findByCode(request.dossierCode));
    authorize(principal, { action: 'dossier.act', act: 'digitize', dossier });
  }
  return services.documents.digitize({
    ...request,
    content,
    // Set: the policy allowed digitizing with this agency's seal.
    agencyCode: principal.agencyCode!,
    actor: principal.clientId,
  });
}

/** Verifies a kept document's stored signature over its stored content. */
async function verifyKept(services: HubServices, code: string): Promise<VerificationReport> {
  const { content, signature } = await services.documents.content(code);
  return services.verifier.verify(content, signature);
}

@Resolver()
export class DigitizeResolver {
  @Mutation(() => DigitizedDocument, {
    description:
      'Digitizes a paper (sao y, Decree 30/2020): the scan is signed with your agency’s seal and kept; returns its code and access key.',
  })
  async digitizeDocument(
    @Arg('input', () => DigitizeDocumentInput) input: DigitizeDocumentInput,
    @Ctx() context: HubContext,
  ): Promise<DigitizedDocument> {
    const { document, accessKey } = await digitizeAs(context.principal, context.services, {
      title: input.title,
      mediaType: input.mediaType,
      dossierCode: input.dossierCode ?? undefined,
      ownerId: input.ownerId ?? undefined,
      documentType: input.documentType ?? undefined,
      issuedAt: input.issuedAt ?? undefined,
      validUntil: input.validUntil ?? undefined,
      content: () => {
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.contentBase64) || input.contentBase64.length % 4 !== 0) {
          throw new InvalidInputError('contentBase64 is not base64.', { reason: 'DOCUMENT.INVALID_BASE64' });
        }
        return Buffer.from(input.contentBase64, 'base64');
      },
    });
    return {
      code: document.code,
      sha256: document.sha256,
      signerSerial: document.signerSerial,
      signedAt: document.signedAt,
      accessKey,
      typeCode: document.typeCode,
      validUntil: document.validUntil,
    };
  }

  @Mutation(() => DocumentStatusReport, {
    description:
      'Revokes a kept document (issued in error, annulled): only the agency that issued it, with a reason. It stays in the vault and still verifies, shown REVOKED; reception no longer accepts it. Emits document.revoked.',
  })
  async revokeDocument(
    @Arg('code', () => String) code: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() context: HubContext,
  ): Promise<DocumentStatusReport> {
    requireClient(context.principal);
    const record = await context.services.documents.revoke(code, reason, context.principal);
    // The revocation changes what the state holds about the owner: written to the processing log.
    context.recordProcessing({
      action: 'document.revoke',
      subject: context.services.audit.subjectRef(record.ownerId),
      basis: `issuer:${record.agencyCode}`,
      details: { documentCode: record.code, typeCode: record.typeCode, source: 'document-vault' },
    });
    return statusReport(context.services, record);
  }
}

async function statusReport(services: HubServices, record: DocumentRecord): Promise<DocumentStatusReport> {
  const [history, uses] = await Promise.all([services.documents.statusHistory(record.code), services.documents.uses(record.code)]);
  return {
    code: record.code,
    typeCode: record.typeCode,
    source: record.source,
    dossierCode: record.dossierCode,
    issuingAgencyCode: record.agencyCode,
    issuedAt: record.issuedAt,
    validUntil: record.validUntil,
    status: DocumentStatus[record.status],
    history: history.map((change) => ({ ...change, from: DocumentStatus[change.from], to: DocumentStatus[change.to] })),
    usedBy: uses.map((use) => ({ dossierCode: use.dossierCode, requirementCode: use.requirementCode, at: use.at })),
  };
}

@Resolver()
export class DocumentStatusResolver {
  @Query(() => DocumentStatusReport, {
    description:
      'A kept document’s status, its history (who changed it, why) and the dossiers that used it: for the agencies handling it (personal-data:read), written to the processing log.',
  })
  async documentStatus(@Arg('documentCode', () => String) documentCode: string, @Ctx() context: HubContext): Promise<DocumentStatusReport> {
    const record = await context.services.documents.get(requireDocumentCode(documentCode));
    const dossier = record.dossierCode ? scopeOf(await context.services.dossiers.findByCode(record.dossierCode)) : null;
    context.authorize({ action: 'document.read', agencyCode: record.agencyCode, dossier });
    context.recordProcessing({
      action: 'personal-data.read',
      subject: context.services.audit.subjectRef(record.ownerId),
      basis: record.dossierCode ? `dossier:${record.dossierCode}` : `agency:${record.agencyCode}`,
      details: { fields: ['DocumentStatus'], documentCode: record.code, source: 'document-vault' },
    });
    return statusReport(context.services, record);
  }
}
