import express, { type Router } from 'express';
import type { CertificateAuthority } from '../certs/pki/certificate-authority';
import { sealJwks } from '../certs/signing/jws';

/**
 * The hub's PKI, published for anyone who verifies its signatures: the root certificate (the trust
 * anchor to install), the chain (issuing CA then root) and the CRLs (issuing CA's then root's).
 */
export function pkiRoutes(authority: CertificateAuthority): Router {
  const router = express.Router();
  const serve = (name: string, read: () => string, maxAgeSeconds: number) =>
    router.get(`/pki/${name}`, (_req, res) => {
      res.setHeader('Cache-Control', `public, max-age=${maxAgeSeconds}`);
      res.type('application/x-pem-file').send(read());
    });
  serve('root.pem', () => authority.rootPem(), 86_400);
  serve('chain.pem', () => authority.chainPem(), 3_600);
  // Short: a revocation must be seen soon.
  serve('crl.pem', () => authority.crlPem(), 60);
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
