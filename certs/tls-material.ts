import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import { ConfigurationError } from '../domain/errors';
import type { CertificateAuthority } from './pki/certificate-authority';

/**
 * TLS material (certificates and their private keys) as TLS stacks take it: undici's `connect`,
 * `https.createServer`, kafkajs' `ssl`. The one place that reads, checks or writes a TLS key:
 * callers get PEM strings to hand over, never a key to look into.
 */

/** A certificate (PEM, followed by its issuing chain) and its private key (PEM). */
export interface TlsKeyPair {
  certificatePem: string;
  keyPem: string;
}

/** A file named by a setting, so that a problem with it names the setting. */
export interface SettingFile {
  setting: string;
  file: string;
}

/** What is public about a certificate, for logs and renewal decisions. */
export interface CertificateFacts {
  /** `C=VN, O=…, CN=…` */
  subject: string;
  validTo: string;
  /** Hex, as the certificate carries it. */
  serialNumber: string;
}

/** Reads a PEM file named by a setting; an unreadable file stops the start with the setting named. */
export function readSettingFile({ setting, file }: SettingFile): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigurationError(
      `${setting}: cannot read "${file}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { reason: 'CONFIG.UNREADABLE_FILE' },
    );
  }
}

/**
 * A certificate and its key, checked now (the certificate parses, the key is an unencrypted PEM
 * key, the key belongs to the certificate), so that a wrong file stops the start with its setting
 * named rather than failing each connection later.
 */
export function checkedKeyPair(pair: TlsKeyPair, names: { certificate: string; key: string }): TlsKeyPair {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pair.certificatePem);
  } catch {
    throw new ConfigurationError(`${names.certificate}: expected a PEM certificate`, { reason: 'CONFIG.INVALID_CERTIFICATE' });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pair.keyPem);
  } catch {
    throw new ConfigurationError(`${names.key}: expected an unencrypted PEM private key`, { reason: 'CONFIG.INVALID_KEY' });
  }
  if (!certificate.checkPrivateKey(key)) {
    throw new ConfigurationError(`${names.key}: this key does not belong to the certificate of ${names.certificate}`, {
      reason: 'CONFIG.KEY_MISMATCH',
    });
  }
  return pair;
}

/** A certificate file and its key file, read and checked (`checkedKeyPair`). */
export function readKeyPairFiles(certificate: SettingFile, key: SettingFile): TlsKeyPair {
  return checkedKeyPair(
    { certificatePem: readSettingFile(certificate), keyPem: readSettingFile(key) },
    { certificate: certificate.setting, key: key.setting },
  );
}

/** A file of trusted CA certificates, read and checked to hold at least one certificate. */
export function readCaFile(file: SettingFile): string {
  const pem = readSettingFile(file);
  try {
    new X509Certificate(pem);
  } catch {
    throw new ConfigurationError(`${file.setting}: expected PEM CA certificates`, { reason: 'CONFIG.INVALID_CERTIFICATE' });
  }
  return pem;
}

/** Node's own trust store followed by extra CAs (PEM): what the hub trusts when no CA file is configured. */
export function defaultTrustedCas(extraPem = ''): string {
  return [...rootCertificates, extraPem.trim()].filter(Boolean).join('\n');
}

/** The public facts of the first certificate of a PEM chain. */
export function certificateFacts(pem: string): CertificateFacts {
  const { subject, validTo, serialNumber } = new X509Certificate(pem);
  return { subject: subject.split('\n').reverse().join(', '), validTo, serialNumber };
}

/** One of the hub's own TLS certificates from its CA (reused or issued, `ownCertificate`), with its key. */
export function ownTlsKeyPair(pki: CertificateAuthority, profile: 'tls-server' | 'tls-client', names: readonly string[]): TlsKeyPair {
  const { certificatePem, keyPem } = pki.ownCertificate(profile, names);
  return { certificatePem, keyPem };
}

/** What `https.createServer` / `setSecureContext` take for a server certificate of the hub's CA. */
export function serverTlsOptions(pki: CertificateAuthority, names: readonly string[]): { key: string; cert: string; ca: string } {
  const { certificatePem, keyPem } = ownTlsKeyPair(pki, 'tls-server', names);
  return { key: keyPem, cert: certificatePem, ca: pki.chainPem() };
}

export interface ServerTlsFiles {
  certFile: string;
  keyFile: string;
  /** The hub's chain, for a server that accepts client certificates of the hub's CA. */
  clientCaFile: string;
}

/**
 * A server certificate and key from the hub's CA written to `dir` for another process (a
 * simulator) to serve with: the folder and the key readable by their owner only.
 */
export function writeServerTlsFiles(pki: CertificateAuthority, fileName: string, names: readonly string[], dir: string): ServerTlsFiles {
  const { certificatePem, keyPem } = ownTlsKeyPair(pki, 'tls-server', names);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = {
    certFile: path.join(dir, `${fileName}.crt.pem`),
    keyFile: path.join(dir, `${fileName}.key.pem`),
    clientCaFile: path.join(dir, 'client-ca.pem'),
  };
  writeFileSync(files.certFile, certificatePem);
  writeFileSync(files.keyFile, keyPem, { mode: 0o600 });
  writeFileSync(files.clientCaFile, pki.chainPem());
  return files;
}
