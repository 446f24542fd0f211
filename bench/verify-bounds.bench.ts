/**
 * Verification bounds: what one anonymous POST /documents/verify costs the hub process (a real
 * `hub start` child process, embedded store) in peak memory growth and time, for a valid signed PDF
 * (the baseline), the finding's crafted 1 MB bodies (300 and 28,000 /ByteRange entries) and the
 * costliest file the bounds admit (VERIFY_MAX_SIGNATURES revisions, each /Contents near
 * VERIFY_MAX_SIGNATURE_BYTES, near MAX_DOCUMENT_BYTES in all).
 *
 * Peak growth: the kernel's high-water mark of the hub's RSS (VmHWM, reset through
 * /proc/<pid>/clear_refs before each request; worker threads included, they live in the process)
 * minus its RSS just before. Where the reset is not allowed, RSS sampled every 5 ms instead.
 *
 * Usage: npm run bench -- verify-bounds [--runs 5]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { authoritySettingsFor, CertificateAuthority } from '../certs/pki/certificate-authority';
import { certificateFromPem } from '../certs/pki/x509';
import { signPdf } from '../certs/signing/pades';
import { fontData } from '../forms/fonts';
import { SAMPLE_DATA } from '../forms/form-samples';
import { renderForm } from '../forms/render-form';
import { loadConfig } from '../platform/config';
import { byteRangeFlood, layeredSignatures } from '../tests/support/crafted-pdf';
import { spawnHub, waitUntilHealthy } from '../tests/support/hub-process';
import { freePort } from '../tests/support/ports';
import { reportHeadline } from './summary';

const kb = (line: string | undefined) => Number(/(\d+)\s*kB/.exec(line ?? '')?.[1] ?? Number.NaN) / 1024;

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n');
  return { rssMb: kb(status.find((l) => l.startsWith('VmRSS:'))), peakMb: kb(status.find((l) => l.startsWith('VmHWM:'))) };
}

function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

interface Row {
  label: string;
  bytes: number;
  answer: string;
  p50Ms: number;
  peakGrowthMb: number;
}

async function measureRequest(url: string, pid: number, file: Buffer, runs: number): Promise<Omit<Row, 'label' | 'bytes'>> {
  const times: number[] = [];
  let peakGrowthMb = 0;
  let answer = '';
  for (let run = 0; run < runs; run += 1) {
    const before = memoryOf(pid).rssMb;
    const kernelPeak = resetPeak(pid);
    let sampled = before;
    const sampler = kernelPeak ? undefined : setInterval(() => (sampled = Math.max(sampled, memoryOf(pid).rssMb)), 5);
    const t0 = process.hrtime.bigint();
    const response = await fetch(`${url}/documents/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: file });
    const body = (await response.json()) as { indication?: string; errors?: { extensions: { reason?: string } }[] };
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (sampler) clearInterval(sampler);
    const peak = kernelPeak ? memoryOf(pid).peakMb : sampled;
    peakGrowthMb = Math.max(peakGrowthMb, peak - before);
    answer = `${response.status} ${body.indication ?? body.errors?.[0]?.extensions.reason ?? '?'}`;
  }
  times.sort((a, b) => a - b);
  return { answer, p50Ms: times[Math.floor(times.length / 2)]!, peakGrowthMb };
}

export async function runVerifyBoundsBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { runs: { type: 'string', default: '5' } } });
  const runs = Number(values.runs);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-bench-verify-'));
  const config = loadConfig({ DATA_DIR: dataDir });
  // The hub's CA made first, so the baseline file is signed by a seal the hub trusts.
  const authority = CertificateAuthority.init(authoritySettingsFor(config));
  const serial = authority.issue({
    profile: 'organisation-signing',
    subject: { commonName: 'Sở Tư pháp tỉnh Huế', organisationIdentifier: '000.00.19.H46' },
  }).record.serialNumber;
  const signed = await signPdf(
    await renderForm('01', SAMPLE_DATA['01']),
    {
      certificate: certificateFromPem(authority.certificatePem(serial)),
      privateKey: authority.privateKey(serial),
      chain: [authority.issuingCertificate, authority.rootCertificate],
    },
    { reason: 'Ký số', location: 'Huế', signingTime: new Date(), font: fontData().regular },
  );
  const hub = spawnHub({
    PORT: String(await freePort()),
    DATA_DIR: dataDir,
    START_SIMULATORS: 'false',
    PORTAL_SYNC: 'false',
    LOG_LEVEL: 'warn',
  });
  try {
    await waitUntilHealthy(hub);
    const pid = hub.child.pid!;
    const files: [string, Buffer][] = [
      ['valid signed PDF (baseline)', signed],
      ['crafted 1 MB, 300 /ByteRange', byteRangeFlood(300)],
      ['crafted 1 MB, 28,000 /ByteRange', byteRangeFlood(28_000)],
      ['1 MB, 20 revisions × 24 KB /Contents', layeredSignatures(20, 24 * 1024)],
      ['~20 MB, 20 revisions × 500 KB /Contents', layeredSignatures(20, 500 * 1024)],
    ];
    // A first verification starts a worker: its cost is the pool's, not a file's.
    await measureRequest(hub.url, pid, signed, 1);
    const rows: Row[] = [];
    for (const [label, file] of files) rows.push({ label, bytes: file.length, ...(await measureRequest(hub.url, pid, file, runs)) });
    const baseline = rows[0]!;
    const flood = rows.find((r) => r.label.includes('28,000'));
    if (flood) {
      reportHeadline({
        bench: 'verify-bounds',
        figure: 'verify a crafted 1 MB PDF (28,000 /ByteRange): peak growth',
        value: flood.peakGrowthMb,
        unit: 'MB',
        baseline: { label: 'a valid signed PDF', value: baseline.peakGrowthMb },
        target: { text: '< 50 MB', met: flood.peakGrowthMb < 50 },
      });
    }
    const header = ['file', 'bytes', 'answer', 'p50 ms', 'vs baseline', 'peak growth MB', 'vs baseline'];
    const cells = rows.map((r) => [
      r.label,
      String(r.bytes),
      r.answer,
      r.p50Ms.toFixed(1),
      `${(r.p50Ms / baseline.p50Ms).toFixed(2)}×`,
      r.peakGrowthMb.toFixed(1),
      baseline.peakGrowthMb > 0 ? `${(r.peakGrowthMb / baseline.peakGrowthMb).toFixed(2)}×` : '-',
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
    const line = (c: string[]) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
    process.stdout.write(
      `\nVerification bounds: one POST /documents/verify at a time, ${runs} runs each, hub RSS ${memoryOf(pid).rssMb.toFixed(0)} MB at the end\n` +
        [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') +
        '\n',
    );
  } finally {
    hub.child.kill('SIGTERM');
    await hub.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}
