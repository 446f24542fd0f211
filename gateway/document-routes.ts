import { createHash } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { authorize } from '../domain/access/access-policy';
import { InvalidInputError, isHubError, NotFoundError, UnauthenticatedError, type HubError } from '../domain/errors';
import type { HubServices } from '../schema/context';
import { digitizeAs, toDocumentVerification } from '../schema/document.resolver';
import type { DocumentRecord } from '../store/services/document-vault.service';
import { scopeOf } from '../store/dossier-scope';
import { handleHubErrors, sendError, sendPrivateFile } from './http-errors';

export interface DocumentRoutesOptions {
  services: HubServices;
  /** Authentication and rate limits, as on /graphql. */
  guards: RequestHandler[];
  /** Largest file accepted, in bytes. */
  maxDocumentBytes: number;
}

/**
 * Statuses of verification refusals other than the code's own (docs/API.md): a file beyond what the
 * hub verifies is 422, a full verification queue 503 with Retry-After; a malformed file stays 400.
 */
const VERIFICATION_STATUS: Readonly<Record<string, number>> = {
  'DOCUMENT.TOO_MANY_SIGNATURES': 422,
  'DOCUMENT.VERIFICATION_LIMIT': 422,
  'DOCUMENT.VERIFICATION_BUSY': 503,
};

const verificationStatuses =
  (work: (req: Request, res: Response) => Promise<void>) =>
  async (req: Request, res: Response): Promise<void> => {
    try {
      await work(req, res);
    } catch (error) {
      const status = isHubError(error) && error.reason ? VERIFICATION_STATUS[error.reason] : undefined;
      if (!status) throw error;
      const retryAfter = (error as HubError).details?.retryAfterSeconds;
      sendError(res, status, error as HubError, typeof retryAfter === 'number' ? { 'Retry-After': String(retryAfter) } : {});
    }
  };

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/** An ISO 8601 date or date-time query parameter (`2026-12-03` or `2026-12-03T08:00:00+07:00`). */
function dateParameter(value: unknown, name: string): Date | undefined {
  const given = text(value);
  if (given === undefined) return undefined;
  const date = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(given) ? new Date(given) : new Date(NaN);
  if (Number.isNaN(date.getTime())) {
    throw new InvalidInputError(`${name} must be an ISO 8601 date, e.g. 2026-12-03 or 2026-12-03T08:00:00+07:00.`, {
      reason: 'INPUT.INVALID_DATE',
      details: { field: name },
    });
  }
  return date;
}

/**
 * The document vault over HTTP (files do not fit GraphQL): digitize a paper, fetch a kept document
 * and its detached signature, verify a file in hand.
 *
 * - `POST /documents?title=…&documentType=…&dossierCode=…&ownerId=…&issuedAt=…&validUntil=…` with the
 *   scan as the body (its content type): an agency digitizes a paper (sao y), signed with its seal;
 *   answers the code, type, validity and, once, the access key.
 * - `GET /documents/{code}` and `GET /documents/{code}/signature.p7s`: for the agencies handling it
 *   (with `personal-data:read`), or anyone with `?key=` (the access key printed on the document);
 *   each download is written to the processing log.
 * - `POST /documents/verify` with a file as the body: the verification report of the kept document
 *   with that content, or of the embedded signature of a signed PDF the hub does not keep (no token
 *   needed; no personal data shown).
 */
export function documentRoutes(options: DocumentRoutesOptions): Router {
  const router = express.Router();
  const { services } = options;
  const body = express.raw({ type: () => true, limit: options.maxDocumentBytes });

  router.post(
    '/documents/verify',
    ...options.guards,
    body,
    handleHubErrors(
      verificationStatuses(async (req, res) => {
        const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        if (content.length === 0) throw new InvalidInputError('Send the file to verify as the request body.', { reason: 'DOCUMENT.EMPTY' });
        const sha256 = createHash('sha256').update(content).digest('hex');
        const [record] = await services.documents.findBySha256(sha256);
        if (!record && content.subarray(0, 5).toString('latin1') === '%PDF-' && content.includes('/ByteRange')) {
          // A signed PDF the hub does not keep: its embedded signatures can still be checked, within bounds.
          const report = await services.verifier.verifyPdf(content);
          res.json({ ...toDocumentVerification(null, report, services.clock.now()), documentSha256: sha256 });
          return;
        }
        if (!record) {
          throw new NotFoundError(
            'The hub keeps no signed document with exactly this content: it was changed, or it was never digitized here.',
            {
              reason: 'DOCUMENT.NOT_FOUND',
              details: { sha256 },
            },
          );
        }
        const { signature } = await services.documents.content(record.code);
        res.json(toDocumentVerification(record, await services.verifier.verify(content, signature), services.clock.now()));
      }),
    ),
  );

  router.post(
    '/documents',
    ...options.guards,
    body,
    handleHubErrors(async (req, res) => {
      const { document, accessKey } = await digitizeAs(req.principal, services, {
        title: text(req.query.title) ?? '',
        ownerId: text(req.query.ownerId),
        dossierCode: text(req.query.dossierCode),
        documentType: text(req.query.documentType),
        issuedAt: dateParameter(req.query.issuedAt, 'issuedAt'),
        validUntil: dateParameter(req.query.validUntil, 'validUntil'),
        mediaType: (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase(),
        content: () => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)),
      });
      res.status(201).json({ ...document, accessKey });
    }),
  );

  /**
   * The document, if the caller may have it: with its access key, or as an agency concerned with the
   * `personal-data:read` scope. Every download is written to the processing log, with its basis.
   */
  async function readable(req: Request, part: 'document' | 'signature.p7s' | 'signature.jws'): Promise<DocumentRecord> {
    const record = await services.documents.get(String(req.params.code));
    const key = text(req.query.key);
    let basis: string;
    if (key && (await services.documents.accessKeyMatches(record.code, key))) {
      basis = 'access-key';
    } else {
      if (req.principal.kind === 'PUBLIC') {
        throw new UnauthenticatedError('Give the access key printed on the document (?key=…), or sign in as an agency handling it.', {
          reason: 'DOCUMENT.KEY_REQUIRED',
        });
      }
      const dossier = record.dossierCode ? scopeOf(await services.dossiers.findByCode(record.dossierCode)) : null;
      authorize(req.principal, { action: 'document.read', agencyCode: record.agencyCode, dossier });
      basis = record.dossierCode ? `dossier:${record.dossierCode}` : `agency:${record.agencyCode}`;
    }
    await services.audit.append([
      {
        actor: req.principal.kind === 'PUBLIC' ? 'public' : req.principal.clientId,
        action: 'personal-data.read',
        subject: services.audit.subjectRef(record.ownerId),
        basis,
        requestId: req.requestId,
        details: { fields: [part], documentCode: record.code, source: 'document-vault' },
      },
    ]);
    return record;
  }

  router.get(
    '/documents/:code',
    ...options.guards,
    handleHubErrors(async (req, res) => {
      const record = await readable(req, 'document');
      const { content } = await services.documents.content(record.code);
      res.setHeader('Digest', `sha-256=${Buffer.from(record.sha256, 'hex').toString('base64')}`);
      sendPrivateFile(res, { type: record.mediaType, disposition: `inline; filename="${record.code}"`, body: content });
    }),
  );

  router.get(
    '/documents/:code/signature.p7s',
    ...options.guards,
    handleHubErrors(async (req, res) => {
      const { code } = await readable(req, 'signature.p7s');
      const { signature } = await services.documents.content(code);
      sendPrivateFile(res, { type: 'application/pkcs7-signature', disposition: `attachment; filename="${code}.p7s"`, body: signature });
    }),
  );
  router.get(
    '/documents/:code/signature.jws',
    ...options.guards,
    handleHubErrors(async (req, res) => {
      const { code } = await readable(req, 'signature.jws');
      const { jws } = await services.documents.content(code);
      if (!jws)
        throw new NotFoundError(`Document ${code} has no JWS: only results carry one (of their record); use signature.p7s.`, {
          reason: 'DOCUMENT.NO_JWS',
        });
      sendPrivateFile(res, { type: 'application/jose', body: jws });
    }),
  );
  return router;
}
