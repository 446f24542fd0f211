import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type forge from 'node-forge';
import {
  malformedSignedPdf,
  verificationBusy,
  verificationTooCostly,
  type SignatureLayoutLimits,
} from '../../domain/documents/signature-layout';
import type { VerificationReport } from '../../domain/documents/verification-report';
import { InvalidInputError } from '../../domain/errors';
import type { SignatureVerifier } from '../../domain/ports/document-signer.port';
import { fromProjectRoot } from '../../platform/paths';
import { certificateToPem } from '../pki/x509';
import type { TrustList } from '../trust-list';
import { locatePdfSignatures } from './pades';
import type { TrustMaterial } from './verification';
import {
  WORKER_ROLE,
  type VerificationAnswer,
  type VerificationRequest,
  type VerificationTask,
  type VerificationWorkerData,
} from './verification-worker';

/**
 * Signature verification with bounds (POST /documents/verify takes files from anyone): each file is
 * verified in a worker thread with a heap limit and a time limit, by a pool of a few workers with a
 * short queue. A file over a bound costs its worker (terminated and replaced) and gets a typed
 * error; a full queue is a retryable DOCUMENT.VERIFICATION_BUSY. The hub's event loop only checks
 * the file's layout first (locatePdfSignatures: no copy, no hash), so a flood of /ByteRange is
 * refused before a worker is involved.
 */

export interface VerificationBounds {
  /** Worker threads verifying at once. */
  workers: number;
  /** Files waiting for a worker; beyond, VERIFICATION_BUSY. */
  queueLength: number;
  /** Longest one verification may take. */
  timeoutMs: number;
  /** Heap of each worker (V8 old generation). */
  memoryMb: number;
  limits: SignatureLayoutLimits;
}

/** The compiled worker: beside this file in dist/, or in dist/ when this runs from TypeScript sources (jest). */
export function verificationWorkerScript(): string {
  const sibling = path.join(__dirname, 'verification-worker.js');
  if (existsSync(sibling)) return sibling;
  const compiled = fromProjectRoot('dist', 'certs', 'signing', 'verification-worker.js');
  if (existsSync(compiled)) return compiled;
  throw new Error(`the signature-verification worker is not built (no ${compiled}): run npx tsc -p tsconfig.json`);
}

/**
 * The hub's trust as text for the workers: its CA's root, issuing CA (PEM, made once per
 * certificate) and current CRLs, and the trust list's roots, CAs and CRLs when there is one.
 */
export function hubTrustMaterial(
  authority: { rootCertificate: forge.pki.Certificate; issuingCertificate: forge.pki.Certificate; crlPem(): string },
  now: () => Date,
  trustList?: Pick<TrustList, 'material'>,
): () => TrustMaterial {
  const pems = new WeakMap<forge.pki.Certificate, string>();
  const pem = (certificate: forge.pki.Certificate) => {
    let text = pems.get(certificate);
    if (!text) pems.set(certificate, (text = certificateToPem(certificate)));
    return text;
  };
  return () => {
    const further = trustList?.material();
    return {
      rootPem: pem(authority.rootCertificate),
      issuingPem: pem(authority.issuingCertificate),
      crlPem: authority.crlPem() + (further?.crlPem ?? ''),
      furtherRootsPem: further?.rootsPem ?? '',
      furtherIntermediatesPem: further?.intermediatesPem ?? '',
      now: now().toISOString(),
    };
  };
}

interface Job {
  task: VerificationRequest;
  resolve(report: VerificationReport): void;
  reject(error: unknown): void;
}

/** How long a caller refused for a full queue is told to wait. */
const BUSY_RETRY_SECONDS = 1;

export class BoundedSignatureVerifier implements SignatureVerifier {
  private readonly idle: Worker[] = [];
  private readonly busy = new Set<Worker>();
  private readonly waiting: Job[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    /** The trust to verify against, asked for each file (CRLs and time change). */
    private readonly trust: () => TrustMaterial,
    private readonly bounds: VerificationBounds,
    private readonly script: string = verificationWorkerScript(),
  ) {}

  verify(content: Buffer, signature: Buffer): Promise<VerificationReport> {
    return this.run({ kind: 'detached', trust: this.trust(), content, signature });
  }

  async verifyPdf(pdf: Buffer): Promise<VerificationReport> {
    // Cheap and copy-free: a file refused by its layout never reaches a worker.
    locatePdfSignatures(pdf, this.bounds.limits);
    return this.run({ kind: 'pdf', trust: this.trust(), pdf });
  }

  /** Workers started so far and files waiting (for metrics and tests). */
  get load(): { workers: number; busy: number; waiting: number } {
    return { workers: this.idle.length + this.busy.size, busy: this.busy.size, waiting: this.waiting.length };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new Error('the hub is stopping'));
    const all = [...this.idle.splice(0), ...this.busy];
    this.busy.clear();
    await Promise.all(all.map((worker) => worker.terminate()));
  }

  private run(task: Job['task']): Promise<VerificationReport> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('the hub is stopping'));
      const job = { task, resolve, reject };
      const worker = this.idle.pop() ?? (this.idle.length + this.busy.size < this.bounds.workers ? this.spawn() : undefined);
      if (worker) this.start(worker, job);
      else if (this.waiting.length < this.bounds.queueLength) this.waiting.push(job);
      else reject(verificationBusy(BUSY_RETRY_SECONDS));
    });
  }

  private spawn(): Worker {
    const workerData: VerificationWorkerData = { role: WORKER_ROLE, limits: this.bounds.limits };
    const worker = new Worker(this.script, {
      workerData,
      resourceLimits: {
        maxOldGenerationSizeMb: this.bounds.memoryMb,
        maxYoungGenerationSizeMb: Math.max(4, Math.floor(this.bounds.memoryMb / 8)),
        stackSizeMb: 4,
      },
      stdout: false,
      stderr: false,
    });
    // The HTTP server keeps the process alive; an idle verifier must not.
    worker.unref();
    // One that dies while idle is dropped, not handed the next file.
    worker.once('exit', () => {
      const at = this.idle.indexOf(worker);
      if (at !== -1) this.idle.splice(at, 1);
    });
    return worker;
  }

  private start(worker: Worker, job: Job): void {
    this.busy.add(worker);
    const id = (this.nextId += 1);
    let settled = false;
    const finish = (settle: () => void, healthy: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      this.busy.delete(worker);
      settle();
      if (healthy) return this.release(worker);
      void worker.terminate();
      const next = this.waiting.shift();
      if (next && !this.closed) this.start(this.spawn(), next);
    };
    const timer = setTimeout(
      () => finish(() => job.reject(verificationTooCostly('time', this.bounds.timeoutMs)), false),
      this.bounds.timeoutMs,
    );
    const onMessage = (answer: VerificationAnswer) => {
      if (answer.id !== id) return;
      finish(() => {
        if ('report' in answer) job.resolve(answer.report);
        else if ('refused' in answer)
          job.reject(new InvalidInputError(answer.refused.message, { reason: answer.refused.reason, details: answer.refused.details }));
        // Anything else a file made the verifier throw: the file is not a readable signed document.
        else job.reject(malformedSignedPdf(`a signature could not be read (${answer.failure}).`));
      }, true);
    };
    const onError = (error: Error & { code?: string }) =>
      finish(
        () => job.reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? verificationTooCostly('memory', this.bounds.memoryMb) : error),
        false,
      );
    const onExit = () => finish(() => job.reject(new Error('the signature verifier stopped')), false);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ ...job.task, id } as VerificationTask);
  }

  private release(worker: Worker): void {
    const next = this.waiting.shift();
    if (next && !this.closed) this.start(worker, next);
    else if (this.closed) void worker.terminate();
    else this.idle.push(worker);
  }
}
