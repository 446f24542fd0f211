/** One processing record (Decree 13/2023: the controller keeps a log of personal-data processing). */
export interface AuditEntry {
  actor: string;
  action: string;
  /** Whom the data is about, pseudonymised (`subjectRef`); never a personal id in clear. */
  subject: string | null;
  /** The legal basis applied, e.g. `dossier:<code>` or `consent:<id>`. */
  basis: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

/** An entry as stored: its place in the chain, the link before it and its own. */
export interface LoggedEntry {
  id: string;
  /** Position in the log, 1, 2, 3, ... with no gap. */
  seq: number;
  /** ISO 8601, to the millisecond. */
  at: string;
  /** How `hash` was computed (`ChainLinks`). */
  scheme: string;
  previousHash: string;
  hash: string;
  entry: AuditEntry;
}

/**
 * How links are computed, by scheme (certs/ implements it: it holds the chain key). `sha256` is the
 * first, unkeyed scheme, accepted only for entries written before the keyed chain began.
 */
export interface ChainLinks {
  /** The scheme new entries are written with. */
  readonly current: string;
  /** The link over `input` under `scheme`, or undefined for a scheme it does not know. */
  link(scheme: string, input: string): string | undefined;
}

export const UNKEYED_SCHEME = 'sha256';

/** The log's keys, as the store sees them: links and pseudonyms, never key bytes (certs/ holds those). */
export interface ProcessingLogKeys extends ChainLinks {
  /** The pseudonym of a person for new entries. */
  pseudonym(personalId: string): string;
  /** Every pseudonym the person has had, current first: to find entries written under an earlier key. */
  pseudonyms(personalId: string): string[];
}

/** Signs checkpoints so others can check them (certs/ implements it with the hub's token key). */
export interface CheckpointSigner {
  sign(checkpoint: Checkpoint): Promise<string>;
  /** The checkpoint a signature carries, or undefined when it is not the hub's. */
  verify(signed: string): Promise<Checkpoint | undefined>;
}

/** The link before the first entry. */
export const GENESIS = '0'.repeat(64);

/** JSON with sorted keys: the same entry always gives the same text. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * What a link covers: the link before, the position (keyed schemes), the time and the entry. The
 * position is inside the MAC, so a row moved elsewhere no longer fits.
 */
export function linkInput(scheme: string, previous: string, seq: number, at: string, entry: AuditEntry): string {
  return scheme === UNKEYED_SCHEME ? `${previous}|${at}|${canonical(entry)}` : `${previous}|${seq}|${at}|${canonical(entry)}`;
}

/** A signed statement of how far the log went: `count` entries, the last one's link and id. */
export interface Checkpoint {
  count: number;
  head: string;
  lastId: string;
  at: string;
}

export type ChainProblemKind =
  | 'changed'
  | 'missing'
  | 'reordered'
  | 'relinked'
  | 'unkeyed'
  | 'unknown-scheme'
  | 'missing-tail'
  | 'checkpoint-mismatch'
  | 'checkpoint-unsigned';

export interface ChainProblem {
  kind: ChainProblemKind;
  /** The first entry that does not fit (the last one kept, for a missing tail); null when none is at fault. */
  entryId: string | null;
  message: string;
}

export type ChainReport =
  | { ok: true; entries: number; checkpoints: number; keyedFrom: string | null }
  | { ok: false; entries: number; checkpoints: number; problem: ChainProblem };

/**
 * Walks the log in storage order (`feed`, with the entry after it to tell a swap from a gap), then
 * holds the end against the checkpoints (`finish`). Stops at the first problem. Bounded memory: it
 * keeps only the link at each checkpoint's position.
 */
export class ChainVerifier {
  private previous = GENESIS;
  private previousId: string | null = null;
  private expectedSeq = 1;
  private entries = 0;
  private keyedFrom: string | null = null;
  private problem: ChainProblem | undefined;
  private readonly watched: Map<number, { hash: string; id: string } | null>;

  constructor(
    private readonly links: ChainLinks,
    private readonly checkpoints: readonly Checkpoint[] = [],
  ) {
    this.watched = new Map(checkpoints.map((c) => [c.count, null]));
  }

  get failed(): boolean {
    return this.problem !== undefined;
  }

  /** Checks one entry; returns the problem once one is found (and ignores what follows). */
  feed(row: LoggedEntry, next?: LoggedEntry): ChainProblem | undefined {
    if (this.problem) return this.problem;
    const fail = (kind: ChainProblemKind, message: string) => (this.problem = { kind, entryId: row.id, message });
    const link = this.links.link(row.scheme, linkInput(row.scheme, row.previousHash, row.seq, row.at, row.entry));
    if (link === undefined) return fail('unknown-scheme', `entry ${row.id} names a chain scheme the hub does not know ("${row.scheme}")`);
    if (row.scheme === UNKEYED_SCHEME && this.keyedFrom !== null)
      return fail(
        'unkeyed',
        `entry ${row.id} is not keyed, but the keyed chain began at entry ${this.keyedFrom}: it was written without the chain key`,
      );
    if (link !== row.hash)
      return fail(
        'changed',
        `entry ${row.id} was changed after it was written (its link does not match its content)${
          // The first keyed entry failing is also what another HUB_SECRET looks like.
          this.keyedFrom === null && row.scheme !== UNKEYED_SCHEME ? ', or HUB_SECRET is not the secret the log was written under' : ''
        }`,
      );
    if (row.seq !== this.expectedSeq) {
      if (row.seq < this.expectedSeq || next?.seq === this.expectedSeq)
        return fail(
          'reordered',
          `entry ${row.id} holds position ${row.seq} but comes where position ${this.expectedSeq} belongs${next?.seq === this.expectedSeq ? ` (entry ${next.id} holds it)` : ''}: entries were reordered`,
        );
      return fail(
        'missing',
        `entries at position ${this.expectedSeq}${row.seq - 1 > this.expectedSeq ? `-${row.seq - 1}` : ''} are missing before entry ${row.id}${this.previousId ? ` (after entry ${this.previousId})` : ''}: deleted`,
      );
    }
    if (row.previousHash !== this.previous)
      return fail(
        'relinked',
        `entry ${row.id} does not follow ${this.previousId ? `entry ${this.previousId}` : 'the start of the log'}: the entry before it was changed or replaced`,
      );
    if (row.scheme !== UNKEYED_SCHEME) this.keyedFrom ??= row.id;
    if (this.watched.has(row.seq)) this.watched.set(row.seq, { hash: row.hash, id: row.id });
    this.previous = row.hash;
    this.previousId = row.id;
    this.expectedSeq += 1;
    this.entries += 1;
    return undefined;
  }

  /** The report: the first problem in the walk, else the first checkpoint the log's end contradicts. */
  finish(): ChainReport {
    const counts = { entries: this.entries, checkpoints: this.checkpoints.length };
    if (this.problem) return { ok: false, ...counts, problem: this.problem };
    for (const checkpoint of [...this.checkpoints].sort((a, b) => a.count - b.count)) {
      const seen = this.watched.get(checkpoint.count);
      if (checkpoint.count > this.entries) {
        return {
          ok: false,
          ...counts,
          problem: {
            kind: 'missing-tail',
            entryId: this.previousId,
            message: `the log ends ${this.previousId ? `at entry ${this.previousId}` : 'before its first entry'} (${this.entries} entries), but the checkpoint of ${checkpoint.at} counted ${checkpoint.count} ending at entry ${checkpoint.lastId}: entries after ${this.previousId ? `entry ${this.previousId}` : 'the start'} were deleted`,
          },
        };
      }
      if (checkpoint.count > 0 && (!seen || seen.hash !== checkpoint.head)) {
        return {
          ok: false,
          ...counts,
          problem: {
            kind: 'checkpoint-mismatch',
            entryId: seen?.id ?? null,
            message: `entry ${seen?.id ?? '?'} at position ${checkpoint.count} is not the one the checkpoint of ${checkpoint.at} signed (entry ${checkpoint.lastId}): the log was rewritten`,
          },
        };
      }
    }
    return { ok: true, ...counts, keyedFrom: this.keyedFrom };
  }
}
