/**
 * Signatures: detached CMS signatures made and verified by the hub per second, next to what
 * `openssl speed` does with the same key types in the same run: the seal's RSA 3072 (the baseline
 * of every hub signature, time-stamped or not) and the time-stamp authority's ECDSA P-256 (the
 * token's signature); native signatures alone (the floor under a CMS signature) and node-forge's
 * pure-JS RSA (why the hub signs natively). openssl runs before and after the hub's figures and
 * their mean is the baseline, so a machine busy with other work in between shows as a range. Rates are
 * per second of user CPU time, which openssl speed divides by unless -elapsed: like with like, and
 * steadier than the clock on a machine shared with other work.
 *
 * Usage: npm run bench -- signatures [--count 500] [--size 100000]
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import forge from 'node-forge';
import { CertificateAuthority, memoryFiles } from '../certs/pki/certificate-authority';
import { certificateFromPem, publicKeyOf } from '../certs/pki/x509';
import { parseSignedData, signDetached } from '../certs/signing/cms';
import { parseCrls } from '../certs/signing/crl-reader';
import { verifyDetached } from '../certs/signing/verification';
import { parseTimeStampToken, TimeStampAuthority } from '../certs/signing/time-stamp';
import { measure, type BenchResult } from './bench-support';

/** Sign/s and verify/s of one key type as `openssl speed` measures them on this machine (one core). */
function opensslSpeed(seconds: number, algorithm: 'rsa3072' | 'ecdsap256'): { sign: number; verify: number } {
  const output = execFileSync('openssl', ['speed', '-seconds', String(seconds), algorithm], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const pattern = algorithm === 'rsa3072' ? /^rsa\s+3072 bits/ : /^\s*256 bits ecdsa \(nistp256\)/;
  const line = output.split('\n').find((l) => pattern.test(l));
  const figures = line?.trim().split(/\s+/).slice(-2).map(Number);
  if (!figures || figures.some((n) => !Number.isFinite(n))) throw new Error(`cannot read openssl speed output:\n${output}`);
  return { sign: figures[0]!, verify: figures[1]! };
}

/** The mean of two runs of openssl speed, and the range they span. */
function meanOf(a: { sign: number; verify: number }, b: { sign: number; verify: number }) {
  const range = (x: number, y: number) => `${Math.min(x, y).toFixed(0)}–${Math.max(x, y).toFixed(0)}/s`;
  return {
    sign: (a.sign + b.sign) / 2,
    verify: (a.verify + b.verify) / 2,
    signRange: range(a.sign, b.sign),
    verifyRange: range(a.verify, b.verify),
  };
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
    // In memory, as the hub holds its copy of the database's CA.
    const authority = CertificateAuthority.init({
      dir,
      files: memoryFiles(),
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
    if (!verifyDetached({ bytes: document }, stampedSignature, trust).signatures[0]?.timestamp)
      throw new Error('the bench time-stamp does not verify');

    const tsaKey = publicKeyOf(parseTimeStampToken(stampedSignatureToken(stampedSignature)).signedData.certificates[0]!);
    if (tsaKey.asymmetricKeyType !== 'ec') throw new Error('the time-stamp authority does not sign with ECDSA P-256');

    process.stderr.write('  openssl speed rsa3072 and ecdsap256 (baseline, before)...\n');
    const rsaBefore = opensslSpeed(3, 'rsa3072');
    const ecBefore = opensslSpeed(2, 'ecdsap256');
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
    results.push(await measure('hub TSA time-stamp token', count * 5, 1, async () => void tsa.stamp(imprint)));
    results.push(
      await measure(`hub CMS sign + time-stamp (${size} bytes)`, count, 1, async () => {
        signDetached({ bytes: document }, signer, new Date(), { timeStamp: tsa.timeStamper });
      }),
    );
    // What openssl speed signs: a digest. The hub's sealed copies are signed so (signDigest: the file's SHA-256 given).
    const digest = createHash('sha256').update(document).digest();
    results.push(
      await measure('hub CMS sign + time-stamp (SHA-256 given)', count, 1, async () => {
        signDetached({ sha256: digest }, signer, new Date(), { timeStamp: tsa.timeStamper });
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
    process.stderr.write('  openssl speed rsa3072 and ecdsap256 (baseline, after)...\n');
    const rsa = meanOf(rsaBefore, opensslSpeed(3, 'rsa3072'));
    const ec = meanOf(ecBefore, opensslSpeed(2, 'ecdsap256'));
    const [nativeSign, nativeVerify, cmsSign, cmsVerify, tsaStamp, stampedSign, stampedDigestSign, stampedVerify, forgeSign] = results as [
      BenchResult,
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
      `\nSignatures: seals RSA 3072, time-stamp authority ECDSA P-256, SHA-256, one core; rates per second of user CPU time as openssl speed counts them (a machine shared with other work slows the clock, not the CPU time), ratios against openssl speed of the same key type in this run (mean of before and after)\n` +
        `${'operation'.padEnd(44)} ${'rate'.padStart(10)} ${'vs openssl'.padStart(8)}\n` +
        `${row('openssl speed rsa3072 sign', rsa.sign, rsa.sign, `baseline of the seal's signatures (${rsa.signRange})`)}\n` +
        `${row('native RSA sign (node:crypto)', nativeSign.perCpuSecond, rsa.sign)}\n` +
        `${row(cmsSign.label, cmsSign.perCpuSecond, rsa.sign, `p50 ${cmsSign.p50Ms.toFixed(2)} ms`)}\n` +
        `${row(stampedSign.label, stampedSign.perCpuSecond, rsa.sign, `p50 ${stampedSign.p50Ms.toFixed(2)} ms; one RSA-3072 and one ECDSA P-256 signature (CAdES-T)`)}\n` +
        `${row(stampedDigestSign.label, stampedDigestSign.perCpuSecond, rsa.sign, `p50 ${stampedDigestSign.p50Ms.toFixed(2)} ms; the same over a digest, as openssl speed signs (sealed copies)`)}\n` +
        `${row(forgeSign.label, forgeSign.perCpuSecond, rsa.sign, 'not used for signing')}\n` +
        `${row('openssl speed ecdsap256 sign', ec.sign, ec.sign, `baseline of the time-stamp authority (${ec.signRange})`)}\n` +
        `${row(tsaStamp.label, tsaStamp.perCpuSecond, ec.sign, `p50 ${tsaStamp.p50Ms.toFixed(2)} ms; one ECDSA P-256 signature`)}\n` +
        `${row('openssl speed rsa3072 verify', rsa.verify, rsa.verify, `baseline (${rsa.verifyRange})`)}\n` +
        `${row('native RSA verify (node:crypto)', nativeVerify.perCpuSecond, rsa.verify)}\n` +
        `${row(cmsVerify.label, cmsVerify.perCpuSecond, rsa.verify, `p50 ${cmsVerify.p50Ms.toFixed(2)} ms; integrity, signature, chain, CRL (certificates met before: parsed and checked once)`)}\n` +
        `${row(stampedVerify.label, stampedVerify.perCpuSecond, rsa.verify, `p50 ${stampedVerify.p50Ms.toFixed(2)} ms; and the token (an ECDSA P-256 verification)`)}\n` +
        `RSS ${cmsVerify.rssMb.toFixed(0)} MB\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The time-stamp token a CAdES-T signature carries. */
function stampedSignatureToken(signature: Buffer): Buffer {
  const token = parseSignedData(signature).signers[0]?.signatureTimeStamps[0];
  if (!token) throw new Error('the bench signature carries no time-stamp');
  return token;
}
