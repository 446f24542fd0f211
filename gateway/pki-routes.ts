import express, { type RequestHandler, type Router } from 'express';
import { InvalidInputError } from '../domain/errors';
import type { CertificateAuthority } from '../certs/pki/certificate-authority';
import { sealJwks } from '../certs/signing/jws';
import type { TimeStampAuthority } from '../certs/signing/time-stamp';
import { sendError } from './http-errors';

/**
 * The hub's PKI, published for anyone who verifies its signatures: the root certificate (the trust
 * anchor to install), the chain (issuing CA then root) and the CRLs (issuing CA's then root's).
 */
export function pkiRoutes(authority: CertificateAuthority, crlPem: () => Promise<string> | string = () => authority.crlPem()): Router {
  const router = express.Router();
  const serve = (name: string, read: () => Promise<string> | string, maxAgeSeconds: number) =>
    router.get(`/pki/${name}`, async (_req, res, next) => {
      try {
        const pem = await read();
        res.setHeader('Cache-Control', `public, max-age=${maxAgeSeconds}`);
        res.type('application/x-pem-file').send(pem);
      } catch (error) {
        next(error);
      }
    });
  serve('root.pem', () => authority.rootPem(), 86_400);
  serve('chain.pem', () => authority.chainPem(), 3_600);
  // Short: a revocation must be seen soon. Read from the database: revocations made on any replica.
  serve('crl.pem', crlPem, 60);
  // The agencies' seals, for JOSE libraries verifying signed JSON results.
  router.get('/pki/jwks.json', async (_req, res, next) => {
    try {
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.type('application/jwk-set+json').send(JSON.stringify(await sealJwks(authority)));
    } catch (error) {
      next(error);
    }
  });
  return router;
}

/** Time-stamp requests are a few hundred bytes; this leaves room for extensions and nothing more. */
const MAX_TIME_STAMP_REQUEST_BYTES = 16_384;

/**
 * The hub's RFC 3161 time-stamp authority over HTTP (RFC 3161 §3.4): POST a TimeStampReq as
 * application/timestamp-query, get a TimeStampResp as application/timestamp-reply. Rejections
 * (an unsupported hash, a malformed request) are TimeStampResps too, with HTTP 200, as the RFC
 * wants; only a request that is not a time-stamp query at all gets an HTTP error.
 */
export function timeStampRoutes(tsa: TimeStampAuthority, guards: RequestHandler[], onStamp?: (granted: boolean) => void): Router {
  const router = express.Router();
  router.post('/tsa', ...guards, express.raw({ type: 'application/timestamp-query', limit: MAX_TIME_STAMP_REQUEST_BYTES }), (req, res) => {
    if (!req.is('application/timestamp-query') || !Buffer.isBuffer(req.body)) {
      sendError(
        res,
        415,
        new InvalidInputError('Send an RFC 3161 time-stamp request with Content-Type: application/timestamp-query.', {
          reason: 'TSA.UNSUPPORTED_MEDIA_TYPE',
        }),
      );
      return;
    }
    const { response, granted } = tsa.respond(req.body);
    onStamp?.(granted);
    res.setHeader('Cache-Control', 'no-store');
    res.type('application/timestamp-reply').send(response);
  });
  return router;
}
