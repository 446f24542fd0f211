import { createPublicKey } from 'node:crypto';
import { CompactSign, exportJWK, type JWK } from 'jose';
import { certificateToPem } from '../pki/x509';
import type { CertificateAuthority } from '../pki/certificate-authority';
import { certificateDer, type CmsSigner } from './cms';

/**
 * JSON results signed as JWS (RFC 7515, compact, RS256) by an agency's seal: the header names the
 * certificate (`kid` = its serial number) and carries the chain (`x5c`), so any JOSE library
 * verifies it with the hub's published JWKS or with the chain and the root.
 */
export async function signJson(payload: unknown, signer: CmsSigner): Promise<string> {
  const x5c = [signer.certificate, ...signer.chain].map((c) => certificateDer(c).toString('base64'));
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'RS256', typ: 'JOSE', cty: 'json', kid: signer.certificate.serialNumber, x5c })
    .sign(signer.privateKey);
}

/**
 * The public keys of the agencies' seals, as a JWKS (`kid` = certificate serial number, with `x5c`):
 * every seal still valid, and revoked ones too, marked, since results they signed earlier stay valid.
 */
export async function sealJwks(authority: CertificateAuthority): Promise<{ keys: (JWK & { revoked?: boolean })[] }> {
  const keys = [];
  for (const record of authority.list().filter((r) => r.profile === 'organisation-signing')) {
    const pem = authority.certificatePem(record.serialNumber);
    const jwk = await exportJWK(createPublicKey(pem));
    const chain = [pem, certificateToPem(authority.issuingCertificate), authority.rootPem()].map((p) =>
      p.replace(/-----[^-]+-----|\s+/g, ''),
    );
    keys.push({
      ...jwk,
      kid: record.serialNumber,
      alg: 'RS256',
      use: 'sig',
      x5c: chain,
      ...(record.status === 'REVOKED' ? { revoked: true } : {}),
    });
  }
  return { keys };
}
