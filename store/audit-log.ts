import { systemClock, type Clock } from '../domain/clock';
import {
  ChainVerifier,
  GENESIS,
  linkInput,
  type AuditEntry,
  type ChainReport,
  type Checkpoint,
  type LoggedEntry,
  type ProcessingLogKeys,
} from '../domain/audit/processing-log-chain';
import type { HubOrm } from './orm';

export type { AuditEntry } from '../domain/audit/processing-log-chain';

interface Row {
  id: string;
  seq: string;
  at: string | Date;
  actor: string;
  action: string;
  subject: string | null;
  basis: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
  chain_scheme: string;
  previous_hash: string;
  hash: string;
}

/** Rows read per round when verifying: bounded memory however long the log. */
const PAGE = 1000;

function toLogged(row: Row): LoggedEntry {
  return {
    id: String(row.id),
    seq: Number(row.seq),
    at: new Date(row.at).toISOString(),
    scheme: row.chain_scheme,
    previousHash: row.previous_hash,
    hash: row.hash,
    entry: {
      actor: row.actor,
      action: row.action,
      subject: row.subject,
      basis: row.basis,
      requestId: row.request_id,
      details: row.details,
    },
  };
}

/**
 * The personal-data processing log: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE),
 * each entry linked to the one before by a MAC under the chain key (`ProcessingLogKeys`), so an
 * edited, removed or reordered entry breaks the chain, which `verify` (and `hub audit verify`) finds;
 * a removed tail is found against the signed checkpoints (`AuditCheckpoints`).
 */
export class AuditLog {
  constructor(
    private readonly orm: HubOrm,
    private readonly keys: ProcessingLogKeys,
    private readonly clock: Clock = systemClock,
  ) {}

  /** A stable pseudonym for a person (a MAC of the id): lets an operator find a citizen's records without storing the id. */
  subjectRef(personalId: string): string {
    return this.keys.pseudonym(personalId);
  }

  /** Every pseudonym a person's entries may carry (entries written under an earlier key keep theirs). */
  subjectRefs(personalId: string): string[] {
    return this.keys.pseudonyms(personalId);
  }

  async append(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.orm.em.fork().transactional(async (em) => {
      // One appender at a time, so the chain never forks.
      await em.execute(`select pg_advisory_xact_lock(hashtext('audit_log'))`);
      const last = await em.execute<{ seq: string; hash: string }[]>('select seq, hash from audit_log order by seq desc limit 1');
      let previous = last[0]?.hash ?? GENESIS;
      let seq = Number(last[0]?.seq ?? 0);
      const scheme = this.keys.current;
      for (const entry of entries) {
        seq += 1;
        const at = this.clock.now().toISOString();
        const hash = this.keys.link(scheme, linkInput(scheme, previous, seq, at, entry))!;
        await em.execute(
          'insert into audit_log (seq, at, actor, action, subject, basis, request_id, details, chain_scheme, previous_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [
            seq,
            at,
            entry.actor,
            entry.action,
            entry.subject,
            entry.basis,
            entry.requestId,
            JSON.stringify(entry.details),
            scheme,
            previous,
            hash,
          ],
        );
        previous = hash;
      }
    });
  }

  /**
   * Entries about any of these subjects (a person's pseudonyms), newest first, `limit` at a time;
   * `beforeSeq` continues after the last page (the cursor is the entry's position in the chain).
   * Consent events are left out: "my data" shows them as consents, and these as reads.
   */
  async bySubjects(
    subjects: readonly string[],
    page: { limit: number; beforeSeq?: number | undefined },
  ): Promise<{ entries: LoggedEntry[]; nextBeforeSeq: number | undefined }> {
    if (subjects.length === 0) return { entries: [], nextBeforeSeq: undefined };
    const rows = await this.orm.em
      .fork()
      .execute<Row[]>(
        `select * from audit_log where subject in (select jsonb_array_elements_text(?::jsonb)) and seq < ? and action not like 'consent.%' order by seq desc limit ?`,
        [JSON.stringify(subjects), page.beforeSeq ?? Number.MAX_SAFE_INTEGER, page.limit + 1],
      );
    const entries = rows.slice(0, page.limit).map(toLogged);
    return { entries, nextBeforeSeq: rows.length > page.limit ? entries[entries.length - 1]!.seq : undefined };
  }

  /** How far the log goes now: what a checkpoint signs. */
  async head(): Promise<Omit<Checkpoint, 'at'>> {
    const rows = await this.orm.em
      .fork()
      .execute<{ id: string; seq: string; hash: string }[]>('select id, seq, hash from audit_log order by seq desc limit 1');
    const last = rows[0];
    return last ? { count: Number(last.seq), head: last.hash, lastId: String(last.id) } : { count: 0, head: GENESIS, lastId: '0' };
  }

  /**
   * Walks the whole log in storage order and holds its end against the checkpoints; the first
   * entry that does not fit is named.
   */
  async verify(checkpoints: readonly Checkpoint[] = []): Promise<ChainReport> {
    const verifier = new ChainVerifier(this.keys, checkpoints);
    const em = this.orm.em.fork();
    let after = '0';
    let pending: LoggedEntry | undefined;
    for (;;) {
      const rows = await em.execute<Row[]>('select * from audit_log where id > ? order by id limit ?', [after, PAGE]);
      for (const row of rows) {
        const entry = toLogged(row);
        if (pending) verifier.feed(pending, entry);
        pending = entry;
      }
      if (rows.length < PAGE || verifier.failed) break;
      after = String(rows[rows.length - 1]!.id);
    }
    if (pending) verifier.feed(pending);
    return verifier.finish();
  }
}
