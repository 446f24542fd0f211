import { parentPort, workerData } from 'node:worker_threads';
import type { SignatureLayoutLimits } from '../../domain/documents/signature-layout';
import { isHubError } from '../../domain/errors';
import type { VerificationReport } from '../../domain/documents/verification-report';
import { trustReader, verifyDetached, verifyPdf, type TrustMaterial } from './verification';

/**
 * A signature-verification worker thread (started by verification-pool.ts, from the compiled
 * dist/ file): verifies one file at a time inside the heap and time bounds the pool gives it, so a
 * hostile file costs a worker, never the hub.
 */

export const WORKER_ROLE = 'signature-verifier';

export interface VerificationWorkerData {
  role: typeof WORKER_ROLE;
  limits: SignatureLayoutLimits;
}

export type VerificationRequest =
  | { kind: 'pdf'; trust: TrustMaterial; pdf: Uint8Array }
  | { kind: 'detached'; trust: TrustMaterial; content: Uint8Array; signature: Uint8Array };

export type VerificationTask = VerificationRequest & { id: number };

export type VerificationAnswer =
  | { id: number; report: VerificationReport }
  /** A typed refusal (DOCUMENT.MALFORMED_PDF, …), rebuilt as the same error on the other side. */
  | { id: number; refused: { message: string; reason: string | undefined; details: Record<string, unknown> | undefined } }
  | { id: number; failure: string };

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function answer(task: VerificationTask, readTrust: ReturnType<typeof trustReader>, limits: SignatureLayoutLimits): VerificationAnswer {
  try {
    const trust = readTrust(task.trust);
    const report =
      task.kind === 'pdf'
        ? verifyPdf(asBuffer(task.pdf), trust, limits)
        : verifyDetached({ bytes: asBuffer(task.content) }, asBuffer(task.signature), trust);
    return { id: task.id, report };
  } catch (error) {
    if (isHubError(error)) return { id: task.id, refused: { message: error.message, reason: error.reason, details: error.details } };
    return { id: task.id, failure: error instanceof Error ? error.message : String(error) };
  }
}

const data = workerData as VerificationWorkerData | undefined;
if (parentPort && data?.role === WORKER_ROLE) {
  const port = parentPort;
  const readTrust = trustReader();
  port.on('message', (task: VerificationTask) => port.postMessage(answer(task, readTrust, data.limits)));
}
