import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChainProblem, ChainReport, Checkpoint, CheckpointSigner } from '../domain/audit/processing-log-chain';
import { systemClock, type Clock } from '../domain/clock';
import type { AuditLog } from './audit-log';
import type { UnitOfWork } from './unit-of-work';

/** A checkpoint as published: its fields in clear and the hub's signature over them (a JWS). */
export interface PublishedCheckpoint extends Checkpoint {
  jws: string;
}

/** The subject (Kafka key) of checkpoint events. */
export const CHECKPOINT_SUBJECT = 'processing-log';

/**
 * Signed checkpoints of the processing log, kept where the database's operator cannot rewrite
 * them: appended (JSON lines, fsynced) to a file outside the database, and published as an
 * `audit.checkpoint` event through the outbox. `verify` holds the log against every checkpoint
 * in the file, so a deleted tail is found.
 */
export class AuditCheckpoints {
  private lastWritten: string | undefined;

  constructor(
    private readonly log: AuditLog,
    private readonly signer: CheckpointSigner,
    private readonly file: string,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock = systemClock,
  ) {}

  get location(): string {
    return this.file;
  }

  /** Signs the log's head now, appends it to the file and publishes it as an event. */
  async write(): Promise<PublishedCheckpoint> {
    const checkpoint: Checkpoint = { ...(await this.log.head()), at: this.clock.now().toISOString() };
    const published = { ...checkpoint, jws: await this.signer.sign(checkpoint) };
    await mkdir(path.dirname(this.file), { recursive: true });
    const handle = await open(this.file, 'a', 0o644);
    try {
      await handle.appendFile(`${JSON.stringify(published)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await this.uow.run(async (_em, events) =>
      events.record({ type: 'audit.checkpoint', subject: CHECKPOINT_SUBJECT, occurredAt: new Date(checkpoint.at), data: { ...published } }),
    );
    this.lastWritten = checkpoint.head;
    return published;
  }

  /** For the timer: a checkpoint only when the log grew since the last one this process wrote. */
  async writeIfChanged(): Promise<PublishedCheckpoint | undefined> {
    const { head } = await this.log.head();
    this.lastWritten ??= (await this.list(1))[0]?.head;
    if (head === this.lastWritten) return undefined;
    return this.write();
  }

  /** The checkpoints in the file, oldest first (the last `limit`). */
  async list(limit = Number.POSITIVE_INFINITY): Promise<PublishedCheckpoint[]> {
    const lines = await this.lines();
    return lines
      .slice(Math.max(0, lines.length - limit))
      .map((line) => {
        try {
          return JSON.parse(line) as PublishedCheckpoint;
        } catch {
          return undefined;
        }
      })
      .filter((c): c is PublishedCheckpoint => c !== undefined);
  }

  /**
   * Every checkpoint of the file whose signature holds; a line that is not one (unsigned, altered,
   * unreadable) is a problem: the file is append-only too.
   */
  async read(): Promise<{ checkpoints: Checkpoint[]; problem?: ChainProblem }> {
    const checkpoints: Checkpoint[] = [];
    const lines = await this.lines();
    for (const [index, line] of lines.entries()) {
      let published: Partial<PublishedCheckpoint> | undefined;
      try {
        published = JSON.parse(line) as Partial<PublishedCheckpoint>;
      } catch {
        published = undefined;
      }
      const signed = typeof published?.jws === 'string' ? await this.signer.verify(published.jws) : undefined;
      if (!signed || signed.count !== published?.count || signed.head !== published.head || signed.lastId !== published.lastId) {
        return {
          checkpoints,
          problem: {
            kind: 'checkpoint-unsigned',
            entryId: null,
            message: `line ${index + 1} of ${this.file} is not a checkpoint signed by this hub`,
          },
        };
      }
      checkpoints.push(signed);
    }
    return { checkpoints };
  }

  /** The log checked end to end, against every checkpoint in the file. */
  async verify(): Promise<ChainReport> {
    const { checkpoints, problem } = await this.read();
    if (problem) return { ok: false, entries: 0, checkpoints: checkpoints.length, problem };
    return this.log.verify(checkpoints);
  }

  private async lines(): Promise<string[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text.split('\n').filter((line) => line.trim() !== '');
  }
}

/** Where checkpoints are kept: AUDIT_CHECKPOINT_FILE, else beside the hub's other local state. */
export function checkpointFileFor(config: { AUDIT_CHECKPOINT_FILE?: string | undefined; DATA_DIR: string }): string {
  return path.resolve(config.AUDIT_CHECKPOINT_FILE ?? path.join(config.DATA_DIR, 'audit-checkpoints.jsonl'));
}
