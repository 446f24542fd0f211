/**
 * Signatures: detached CMS signatures made and verified by the hub per second, next to what
 * `openssl speed` does with the same key type (RSA 3072) in the same run, native RSA alone (the
 * floor under a CMS signature) and node-forge's pure-JS RSA (why the hub signs natively).
 *
 * Usage: npm run bench -- signatures [--count 500] [--size 100000]
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import forge from 'node-forge';
import { CertificateAuthority } from '../certs/pki/certificate-authority';
import { certificateFromPem, publicKeyOf } from '../certs/pki/x509';
import { signDetached } from '../certs/signing/cms';
import { parseCrls } from '../certs/signing/crl-reader';
import { verifyDetached } from '../certs/signing/verification';
import { TimeStampAuthority } from '../certs/signing/time-stamp';
import { measure, type BenchResult } from './bench-support';

/** RSA 3072 sign/s and verify/s as `openssl speed` measures them on this machine (one core). */
function opensslSpeed(seconds: number): { sign: number; verify: number } {
  const output = execFileSync('openssl', ['speed', '-seconds', String(seconds), 'rsa3072'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const line = output.split('\n').find((l) => /^rsa\s+3072 bits/.test(l));
  const figures = line?.trim().split(/\s+/).slice(-2).map(Number);
  if (!figures || figures.some((n) => !Number.isFinite(n))) throw new Error(`cannot read openssl speed output:\n${output}`);
  return { sign: figures[0]!, verify: figures[1]! };
}

const row = (label: string, perSecond: number, baseline: number, note = '') =>
  `${label.padEnd(44)} ${perSecond.toFixed(0).padStart(8)}/s ${(perSecond / baseline).toFixed(2).padStart(7)}×  ${note}`;

export async function runSignaturesBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { count: { type: 'string', default: '500' }, size: { type: 'string', default: '100000' } },
  });
  const count = Number(values.count);
  const size = Number(values.size);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(size) || size < 1) {
    throw new RangeError('--count and --size must be positive whole numbers (operations, bytes per document).');
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'hub-bench-pki-'));
  try {
    process.stderr.write('  creating a certificate authority and an organisation signing certificate...\n');
    const authority = CertificateAuthority.init({
      dir,
      passphrase: 'bench passphrase',
      crlUrl: 'http://127.0.0.1/pki/crl.pem',
      organisation: 'Bench',
    });
    const serial = authority.issue({ profile: 'organisation-signing', subject: { commonName: 'UBND phường Phú Xuân' } }).record
      .serialNumber;
    const certificate = certificateFromPem(authority.certificatePem(serial));
    const signer = {
      certificate,
      privateKey: authority.privateKey(serial),
      chain: [authority.issuingCertificate, authority.rootCertificate],
    };
    const tsa = TimeStampAuthority.ofAuthority(authority);
    const trust = { trustedRoots: [authority.rootCertificate], crls: parseCrls(authority.crlPem()), now: new Date() };
    const document = randomBytes(size);
    const signature = signDetached({ bytes: document }, signer, new Date());
    const stampedSignature = signDetached({ bytes: document }, signer, new Date(), { timeStamp: tsa.timeStamper });
    if (verifyDetached({ bytes: document }, signature, trust).indication !== 'PASSED')
      throw new Error('the bench signature does not verify');
    if (verifyDetached({ bytes: document }, stampedSignature, trust).signatures[0]?.timestamp === null)
      throw new Error('the bench time-stamp does not verify');

    process.stderr.write('  openssl speed rsa3072 (baseline)...\n');
    const openssl = opensslSpeed(3);
    const data = randomBytes(64);
    const results: BenchResult[] = [];
    results.push(await measure('native RSA-3072 sign (64 bytes)', count, 1, async () => void sign('sha256', data, signer.privateKey)));
    const nativeSignature = sign('sha256', data, signer.privateKey);
    const publicKey = publicKeyOf(certificate);
    results.push(
      await measure('native RSA-3072 verify', count * 10, 1, async () => void verify('sha256', data, publicKey, nativeSignature)),
    );
    results.push(
      await measure(`hub CMS sign (${size} bytes)`, count, 1, async () => void signDetached({ bytes: document }, signer, new Date())),
    );
    results.push(
      await measure(
        `hub CMS verify, full report (${size} bytes)`,
        count,
        1,
        async () => void verifyDetached({ bytes: document }, signature, trust),
      ),
    );
    const imprint = randomBytes(32);
    results.push(await measure('hub TSA time-stamp token', count, 1, async () => void tsa.stamp(imprint)));
    results.push(
      await measure(`hub CMS sign + time-stamp (${size} bytes)`, count, 1, async () => {
        signDetached({ bytes: document }, signer, new Date(), { timeStamp: tsa.timeStamper });
      }),
    );
    results.push(
      await measure(
        `hub CMS verify with time-stamp (${size} bytes)`,
        count,
        1,
        async () => void verifyDetached({ bytes: document }, stampedSignature, trust),
      ),
    );
    const forgeKey = forge.pki.privateKeyFromPem(signer.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const forgeCount = Math.max(5, Math.floor(count / 50));
    results.push(
      await measure('node-forge pure-JS RSA-3072 sign', forgeCount, 1, async () => {
        const md = forge.md.sha256.create();
        md.update(data.toString('binary'));
        forgeKey.sign(md);
      }),
    );
    const [nativeSign, nativeVerify, cmsSign, cmsVerify, tsaStamp, stampedSign, stampedVerify, forgeSign] = results as [
      BenchResult,
      BenchResult,
      BenchResult,
      BenchResult,
      BenchResult,
      BenchResult,
      BenchResult,
      BenchResult,
    ];
    process.stdout.write(
      `\nSignatures: RSA 3072, SHA-256, one core; ratios against openssl speed measured in this run\n` +
        `${'operation'.padEnd(44)} ${'rate'.padStart(10)} ${'vs openssl'.padStart(8)}\n` +
        `${row('openssl speed rsa3072 sign', openssl.sign, openssl.sign, 'baseline')}\n` +
        `${row('native RSA sign (node:crypto)', nativeSign.perSecond, openssl.sign)}\n` +
        `${row(cmsSign.label, cmsSign.perSecond, openssl.sign, `p50 ${cmsSign.p50Ms.toFixed(2)} ms`)}\n` +
        `${row(tsaStamp.label, tsaStamp.perSecond, openssl.sign, `p50 ${tsaStamp.p50Ms.toFixed(2)} ms; one RSA signature`)}\n` +
        `${row(stampedSign.label, stampedSign.perSecond, openssl.sign, `p50 ${stampedSign.p50Ms.toFixed(2)} ms; two RSA signatures (CAdES-T)`)}\n` +
        `${row(forgeSign.label, forgeSign.perSecond, openssl.sign, 'not used for signing')}\n` +
        `${row('openssl speed rsa3072 verify', openssl.verify, openssl.verify, 'baseline')}\n` +
        `${row('native RSA verify (node:crypto)', nativeVerify.perSecond, openssl.verify)}\n` +
        `${row(cmsVerify.label, cmsVerify.perSecond, openssl.verify, `p50 ${cmsVerify.p50Ms.toFixed(2)} ms; integrity, signature, chain, CRL (certificates met before: parsed and checked once)`)}\n` +
        `${row(stampedVerify.label, stampedVerify.perSecond, openssl.verify, `p50 ${stampedVerify.p50Ms.toFixed(2)} ms; and the token`)}\n` +
        `RSS ${cmsVerify.rssMb.toFixed(0)} MB\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
