import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { byteRangeFlood, layeredSignatures } from '../../tests/support/crafted-pdf';
import { BoundedSignatureVerifier, verificationWorkerScript, type VerificationBounds } from './verification-pool';

/**
 * The pool's bounds, with stand-in workers (plain JavaScript files) that misbehave on purpose: one
 * that eats memory, one that never answers, one that answers a typed refusal. The real worker is
 * exercised over HTTP (tests/integration/document-verification-bounds.test.ts).
 */

const TRUST = () => ({ rootPem: '', issuingPem: '', crlPem: '', now: '2026-12-03T10:00:00.000Z' });
const REPORT = { indication: 'PASSED', subIndication: null, documentSha256: '00', signatures: [] };

const WORKERS: Record<string, string> = {
  // Answers detached verifications; a PDF makes it allocate until its heap limit stops it.
  hog: `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (task) => {
  if (task.kind === 'detached') return parentPort.postMessage({ id: task.id, report: ${JSON.stringify(REPORT)} });
  const kept = [];
  for (;;) kept.push(new Array(1e5).fill({ task }));
});`,
  hang: `const { parentPort } = require('node:worker_threads');
parentPort.on('message', () => {});`,
  refuse: `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (task) => parentPort.postMessage({ id: task.id, refused: { message: 'no', reason: 'DOCUMENT.MALFORMED_PDF', details: { at: 1 } } }));`,
};

const BOUNDS: VerificationBounds = {
  workers: 1,
  queueLength: 1,
  timeoutMs: 2_000,
  memoryMb: 16,
  limits: { maxSignatures: 20, maxSignatureBytes: 1024 },
};

describe('the bounded signature verifier', () => {
  let dir: string;
  const pools: BoundedSignatureVerifier[] = [];
  const pool = (worker: string, bounds: Partial<VerificationBounds> = {}) => {
    const created = new BoundedSignatureVerifier(TRUST, { ...BOUNDS, ...bounds }, path.join(dir, `${worker}.js`));
    pools.push(created);
    return created;
  };
  const failure = async (promise: Promise<unknown>) => {
    try {
      await promise;
      return undefined;
    } catch (error) {
      const { code, reason, details } = error as { code?: string; reason?: string; details?: unknown };
      return { code, reason, details };
    }
  };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hub-verify-pool-'));
    for (const [name, source] of Object.entries(WORKERS)) writeFileSync(path.join(dir, `${name}.js`), source);
  });

  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the compiled worker: beside itself in dist/, from dist/ when it runs from TypeScript sources', () => {
    expect(verificationWorkerScript()).toMatch(/dist[\\/]certs[\\/]signing[\\/]verification-worker\.js$/);
  });

  it('a worker over its heap limit: DOCUMENT.VERIFICATION_LIMIT (memory), and the next file gets a fresh worker', async () => {
    // Time out of the way: on a busy machine filling 16 MB can take longer than the 2 s bound.
    const verifier = pool('hog', { timeoutMs: 60_000 });
    expect(await failure(verifier.verifyPdf(layeredSignatures(1, 8)))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'DOCUMENT.VERIFICATION_LIMIT',
      details: { limit: 'memory', memoryMb: 16 },
    });
    await expect(verifier.verify(Buffer.from('content'), Buffer.from('signature'))).resolves.toEqual(REPORT);
  });

  it('a verification over its time limit: DOCUMENT.VERIFICATION_LIMIT (time); a full queue: retryable DOCUMENT.VERIFICATION_BUSY', async () => {
    const verifier = pool('hang', { timeoutMs: 300 });
    const first = failure(verifier.verify(Buffer.from('a'), Buffer.from('b')));
    const queued = failure(verifier.verify(Buffer.from('a'), Buffer.from('b')));
    expect(verifier.load).toEqual({ workers: 1, busy: 1, waiting: 1 });
    expect(await failure(verifier.verify(Buffer.from('a'), Buffer.from('b')))).toEqual({
      code: 'RATE_LIMITED',
      reason: 'DOCUMENT.VERIFICATION_BUSY',
      details: { retryAfterSeconds: 1 },
    });
    const timedOut = { code: 'BAD_USER_INPUT', reason: 'DOCUMENT.VERIFICATION_LIMIT', details: { limit: 'time', timeoutMs: 300 } };
    expect(await first).toEqual(timedOut);
    // The queued file went to the worker started in place of the stopped one.
    expect(await queued).toEqual(timedOut);
    // Both stopped workers are gone; the next file starts a new one.
    expect(verifier.load).toEqual({ workers: 0, busy: 0, waiting: 0 });
  });

  it('passes a typed refusal of the worker on as the same error', async () => {
    expect(await failure(pool('refuse').verify(Buffer.from('a'), Buffer.from('b')))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'DOCUMENT.MALFORMED_PDF',
      details: { at: 1 },
    });
  });

  it('refuses a file by its layout on the spot, without starting a worker', async () => {
    const verifier = pool('hang');
    expect(await failure(verifier.verifyPdf(byteRangeFlood(28_000)))).toMatchObject({ reason: 'DOCUMENT.TOO_MANY_SIGNATURES' });
    expect(await failure(verifier.verifyPdf(layeredSignatures(1, 2048)))).toMatchObject({ reason: 'DOCUMENT.MALFORMED_PDF' });
    expect(verifier.load.workers).toBe(0);
  });
});
