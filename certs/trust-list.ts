import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Clock } from '../domain/clock';
import { ConfigurationError } from '../domain/errors';
import { parseCrls } from './signing/crl-reader';

/**
 * The trust list (TRUSTED_ROOTS_FILE): roots trusted for signatures besides the hub's own, such as
 * the national root CA for public digital signatures or another province's hub, each with where its
 * CRLs come from. Read and checked at start (a wrong entry stops the start with the entry named);
 * the CRLs are fetched through the hub's one upstream HTTP client and kept as PEM text, which is
 * what crosses to the verification workers.
 *
 * ```json
 * { "roots": [
 *   { "name": "Hub of Đà Nẵng",
 *     "certificate": "danang-root.pem",
 *     "intermediates": ["danang-issuing.pem"],
 *     "crl": [{ "url": "https://hub.danang.gov.vn/pki/crl.pem" }] } ] }
 * ```
 * Certificates are PEM text or a path (relative to the list's folder); a CRL source is a URL
 * (http or https) or a file, one or a list.
 */

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const PEM_CRL = /-----BEGIN X509 CRL-----[\s\S]*?-----END X509 CRL-----/g;

/** A CRL larger than this is not read (a national CA's CRL is a few MB at most). */
export const MAX_CRL_BYTES = 16 * 1024 * 1024;
/** Longest one CRL fetch may take. */
export const CRL_FETCH_TIMEOUT_MS = 10_000;

const crlSource = z.union([
  z.strictObject({
    url: z
      .string()
      .url()
      .refine((url) => /^https?:\/\//.test(url), 'an http or https URL'),
  }),
  z.strictObject({ file: z.string().min(1) }),
]);

const trustListSchema = z.strictObject({
  roots: z.array(
    z.strictObject({
      name: z.string().trim().min(1),
      certificate: z.string().min(1),
      intermediates: z.array(z.string().min(1)).default([]),
      crl: z.union([crlSource, z.array(crlSource).min(1)]).transform((value) => (Array.isArray(value) ? value : [value])),
    }),
  ),
});

export type CrlSource = { url: string } | { file: string };

export interface TrustedRoot {
  name: string;
  /** The root (self-signed CA certificate), PEM. */
  rootPem: string;
  /** CA certificates under it the verifier may need for chains a signature does not carry in full, PEM. */
  intermediatesPem: string;
  crlSources: CrlSource[];
  /** `subject` of the root, for logs and the report. */
  subject: string;
}

export type TrustListFetch = (url: string, init: { signal: AbortSignal }) => Promise<Response>;

/** What one CRL source gave at the last refresh. */
export interface CrlSourceState {
  root: string;
  source: string;
  /** When the CRL in use was fetched or read; null: never. */
  fetchedAt: string | null;
  /** Why the last attempt failed (the previous CRL stays in use); null: it succeeded. */
  problem: string | null;
}

function invalid(file: string, message: string): ConfigurationError {
  return new ConfigurationError(`TRUSTED_ROOTS_FILE ("${file}"): ${message}`, { reason: 'CONFIG.INVALID_TRUST_LIST' });
}

function readText(file: string, what: string, listFile: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw invalid(listFile, `${what}: cannot read "${file}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** PEM text as given, or read from a path relative to the list's folder. */
function pemOrFile(value: string, what: string, listFile: string): string {
  if (value.includes('-----BEGIN')) return value;
  return readText(path.resolve(path.dirname(listFile), value), what, listFile);
}

function certificatesOf(pem: string, what: string, listFile: string): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw invalid(listFile, `${what}: expected a PEM certificate`);
  return blocks.map((block) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw invalid(listFile, `${what}: a certificate does not parse`);
    }
  });
}

/**
 * Reads and checks the trust list: every root a self-signed CA certificate, every intermediate a CA
 * certificate issued by the root or another listed intermediate, names unique, CRL sources given.
 */
export function readTrustList(listFile: string): TrustedRoot[] {
  let json: unknown;
  try {
    json = JSON.parse(readText(listFile, 'the list', listFile));
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    throw invalid(listFile, `not JSON (${(error as Error).message})`);
  }
  const parsed = trustListSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(listFile, `${issue.path.join('.') || 'the list'}: ${issue.message}`);
  }
  const names = new Set<string>();
  return parsed.data.roots.map((entry, index) => {
    const what = `roots.${index} (${entry.name})`;
    if (names.has(entry.name)) throw invalid(listFile, `${what}: the name is used twice`);
    names.add(entry.name);
    const rootCertificates = certificatesOf(pemOrFile(entry.certificate, what, listFile), what, listFile);
    if (rootCertificates.length !== 1) throw invalid(listFile, `${what}: "certificate" holds one root certificate, not a bundle`);
    const root = rootCertificates[0]!;
    if (!root.ca) throw invalid(listFile, `${what}: the root is not a CA certificate (basicConstraints cA)`);
    if (!root.checkIssued(root) || !root.verify(root.publicKey)) throw invalid(listFile, `${what}: the root is not self-signed`);
    const intermediates = entry.intermediates.flatMap((value, at) =>
      certificatesOf(pemOrFile(value, `${what} intermediates.${at}`, listFile), `${what} intermediates.${at}`, listFile),
    );
    // Each intermediate must hang from the root through the listed ones: a list cannot smuggle in an unrelated CA.
    const placed = [root];
    let pending = [...intermediates];
    while (pending.length) {
      const next = pending.filter(
        (candidate) => !placed.some((issuer) => candidate.checkIssued(issuer) && candidate.verify(issuer.publicKey)),
      );
      if (next.length === pending.length) {
        throw invalid(listFile, `${what}: intermediate ${pending[0]!.subject.replace(/\n/g, ', ')} is not issued by this root`);
      }
      placed.push(...pending.filter((candidate) => !next.includes(candidate)));
      pending = next;
    }
    for (const intermediate of intermediates) {
      if (!intermediate.ca)
        throw invalid(listFile, `${what}: intermediate ${intermediate.subject.replace(/\n/g, ', ')} is not a CA certificate`);
    }
    for (const source of entry.crl) {
      if ('file' in source) source.file = path.resolve(path.dirname(listFile), source.file);
    }
    return {
      name: entry.name,
      rootPem: root.toString(),
      intermediatesPem: intermediates.map((c) => c.toString()).join(''),
      crlSources: entry.crl,
      subject: root.subject.split('\n').reverse().join(', '),
    };
  });
}

/** The CRLs of a response or file, checked to parse, as PEM text (DER is wrapped). */
export function crlsAsPem(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  const blocks = text.includes('-----BEGIN X509 CRL-----')
    ? (text.match(PEM_CRL) ?? [])
    : [`-----BEGIN X509 CRL-----\n${bytes.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END X509 CRL-----\n`];
  const pem = blocks.map((block) => (block.endsWith('\n') ? block : `${block}\n`)).join('');
  // Throws on anything that is not a CRL.
  if (parseCrls(pem).length === 0) throw new Error('no CRL in it');
  return pem;
}

async function readCapped(response: Response): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_CRL_BYTES) throw new Error(`it is larger than ${MAX_CRL_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_CRL_BYTES) {
      await reader.cancel();
      throw new Error(`it is larger than ${MAX_CRL_BYTES} bytes`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

const describeSource = (source: CrlSource) => ('url' in source ? source.url : source.file);

/**
 * The trust list's roots and their current CRLs. `refresh()` fetches every CRL source again; a
 * source that fails keeps its last good CRL (a verification then shows that CRL's thisUpdate), and
 * one never fetched leaves revocation unknown, so its signatures are INDETERMINATE / TRY_LATER,
 * never PASSED without a revocation check. CRLs are not checked against their issuer here: the
 * verifier checks each against the CA of the chain it is used for, so a forged CRL is never used.
 */
export class TrustList {
  private readonly crls = new Map<string, { pem: string; fetchedAt: Date }>();
  private readonly problems = new Map<string, string>();

  constructor(
    readonly roots: readonly TrustedRoot[],
    private readonly fetch: TrustListFetch,
    private readonly clock: Clock,
  ) {}

  static fromFile(file: string, fetch: TrustListFetch, clock: Clock): TrustList {
    return new TrustList(readTrustList(file), fetch, clock);
  }

  /** Fetches or reads every CRL source; resolves to each source's state (never rejects). */
  async refresh(): Promise<CrlSourceState[]> {
    await Promise.all(
      this.roots.flatMap((root) =>
        root.crlSources.map(async (source) => {
          const key = `${root.name}\n${describeSource(source)}`;
          try {
            const pem = crlsAsPem(await this.load(source));
            this.crls.set(key, { pem, fetchedAt: this.clock.now() });
            this.problems.delete(key);
          } catch (error) {
            this.problems.set(key, (error as Error).message);
          }
        }),
      ),
    );
    return this.state();
  }

  state(): CrlSourceState[] {
    return this.roots.flatMap((root) =>
      root.crlSources.map((source) => {
        const key = `${root.name}\n${describeSource(source)}`;
        return {
          root: root.name,
          source: describeSource(source),
          fetchedAt: this.crls.get(key)?.fetchedAt.toISOString() ?? null,
          problem: this.problems.get(key) ?? null,
        };
      }),
    );
  }

  /** The roots, their intermediates and their CRLs in use, as PEM text for the verification workers. */
  material(): { rootsPem: string; intermediatesPem: string; crlPem: string } {
    return {
      rootsPem: this.roots.map((root) => root.rootPem).join(''),
      intermediatesPem: this.roots.map((root) => root.intermediatesPem).join(''),
      crlPem: [...this.crls.values()].map((crl) => crl.pem).join(''),
    };
  }

  private async load(source: CrlSource): Promise<Buffer> {
    if ('file' in source) return readFileSync(source.file);
    const response = await this.fetch(source.url, { signal: AbortSignal.timeout(CRL_FETCH_TIMEOUT_MS) });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`HTTP ${response.status}`);
    }
    return readCapped(response);
  }
}
