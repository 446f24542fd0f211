import { createHash, createHmac } from 'node:crypto';
import type { HubOrm } from './orm';

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

interface Row {
  id: string;
  at: string | Date;
  actor: string;
  action: string;
  subject: string | null;
  basis: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
  previous_hash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function entryHash(previous: string, at: string, entry: AuditEntry): string {
  return createHash('sha256')
    .update(`${previous}|${at}|${canonical(entry)}`)
    .digest('hex');
}

/**
 * Append-only, hash-chained audit log: each record hashes the one before it, so an edited, removed
 * or reordered record breaks the chain, which `verify` (and `hub audit verify`) finds.
 */
export class AuditLog {
  constructor(
    private readonly orm: HubOrm,
    private readonly pseudonymKey: string,
  ) {}

  /** A stable pseudonym for a person (HMAC of the id): lets an operator find a citizen's records without storing the id. */
  subjectRef(personalId: string): string {
    return `hmac:${createHmac('sha256', this.pseudonymKey).update(personalId).digest('hex').slice(0, 32)}`;
  }

  async append(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.orm.em.fork().transactional(async (em) => {
      // One appender at a time, so the chain never forks.
      await em.execute(`select pg_advisory_xact_lock(hashtext('audit_log'))`);
      const last = await em.execute<{ hash: string }[]>('select hash from audit_log order by id desc limit 1');
      let previous = last[0]?.hash ?? GENESIS;
      for (const entry of entries) {
        const at = new Date().toISOString();
        const hash = entryHash(previous, at, entry);
        await em.execute(
          'insert into audit_log (at, actor, action, subject, basis, request_id, details, previous_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [at, entry.actor, entry.action, entry.subject, entry.basis, entry.requestId, JSON.stringify(entry.details), previous, hash],
        );
        previous = hash;
      }
    });
  }

  /** Recomputes the chain; returns the first record that does not fit, if any. */
  async verify(): Promise<{ ok: true; records: number } | { ok: false; records: number; brokenAt: string; problem: string }> {
    const rows = await this.orm.em.fork().execute<Row[]>('select * from audit_log order by id');
    let previous = GENESIS;
    for (const row of rows) {
      const entry: AuditEntry = {
        actor: row.actor,
        action: row.action,
        subject: row.subject,
        basis: row.basis,
        requestId: row.request_id,
        details: row.details,
      };
      if (row.previous_hash !== previous)
        return { ok: false, records: rows.length, brokenAt: String(row.id), problem: 'a record before it was removed or changed' };
      if (entryHash(previous, new Date(row.at).toISOString(), entry) !== row.hash) {
        return { ok: false, records: rows.length, brokenAt: String(row.id), problem: 'the record was changed' };
      }
      previous = row.hash;
    }
    return { ok: true, records: rows.length };
  }
}
