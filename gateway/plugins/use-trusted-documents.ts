import type { NextFunction, Request, Response } from 'express';
import { ForbiddenError } from '../../domain/errors';
import type { TrustedDocuments } from '../../store/trusted-documents';
import { sendError } from '../http-errors';

export type TrustedDocumentsMode = 'off' | 'per-client' | 'required';

export interface TrustedDocumentsOptions {
  mode: TrustedDocumentsMode;
  /** Whether this client is flagged to send registered operations only. */
  clientRequires(clientId: string): Promise<boolean>;
}

/**
 * Trusted documents (persisted operations): a request may name a registered operation by
 * `documentId` (or Apollo's `extensions.persistedQuery.sha256Hash`) instead of sending its text;
 * clients in trusted-documents mode may send nothing else, so a stolen token cannot run arbitrary
 * queries.
 */
export function useTrustedDocuments(documents: TrustedDocuments, options: TrustedDocumentsOptions) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'POST') return next();
    const params = (req.method === 'GET' ? req.query : req.body) as Record<string, unknown> | undefined;
    if (!params || typeof params !== 'object' || Array.isArray(params)) return next();
    const extensions = typeof params.extensions === 'string' ? safeJson(params.extensions) : params.extensions;
    const persisted = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
    const documentId = typeof params.documentId === 'string' ? params.documentId : typeof persisted === 'string' ? persisted : undefined;

    if (documentId) {
      const text = await documents.get(documentId);
      if (!text) {
        res.status(400).json({
          errors: [
            {
              message: `No registered operation has the id ${documentId.slice(0, 80)}.`,
              extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
            },
          ],
        });
        return;
      }
      if (req.method === 'GET') {
        const url = new URL(req.url, 'http://hub');
        url.searchParams.set('query', text);
        url.searchParams.delete('documentId');
        url.searchParams.delete('extensions');
        req.url = `${url.pathname}${url.search}`;
      } else {
        params.query = text;
        delete params.documentId;
        delete params.extensions;
      }
      return next();
    }

    const principal = req.principal;
    const required =
      principal.kind !== 'PUBLIC' &&
      (options.mode === 'required' || (options.mode === 'per-client' && (await options.clientRequires(principal.clientId))));
    if (required && params.query !== undefined) {
      return sendError(
        res,
        403,
        new ForbiddenError('This client may run registered operations only: send a documentId instead of a query.', {
          reason: 'TRUSTED_DOCUMENTS.REQUIRED',
        }),
      );
    }
    next();
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
