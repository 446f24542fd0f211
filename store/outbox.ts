import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventType } from '../domain/events/dossier-events';
import type { HubEvent } from '../domain/events/event-bus.port';
import type { HubOrm } from './orm';

interface OutboxRow {
  id: string;
  event_id: string;
  type: string;
  subject: string;
  data: Record<string, unknown>;
  occurred_at: string | Date;
}

export interface ClaimedEvent extends HubEvent {
  /** Outbox row id (publishing order). */
  sequence: string;
}

/** The relay's view of the outbox: leases, unpublished events, publication marks. */
export class OutboxStore {
  constructor(private readonly orm: HubOrm) {}

  private em(): EntityManager {
    return this.orm.em.fork();
  }

  /**
   * Takes or renews the relay lease. Only the holder publishes, so events leave in outbox order
   * even with several gateway replicas; a dead holder's lease expires after `ttlMs`.
   */
  async acquireLease(holder: string, ttlMs: number): Promise<boolean> {
    const rows = await this.em().execute<{ holder: string }[]>(
      `insert into outbox_relay_lease (name, holder, expires_at) values ('outbox', ?, now() + (? || ' milliseconds')::interval)
       on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
       where outbox_relay_lease.holder = excluded.holder or outbox_relay_lease.expires_at < now()
       returning holder`,
      [holder, String(ttlMs)],
    );
    return rows.length === 1 && rows[0]?.holder === holder;
  }

  async releaseLease(holder: string): Promise<void> {
    await this.em().execute(`delete from outbox_relay_lease where name = 'outbox' and holder = ?`, [holder]);
  }

  async fetchUnpublished(limit: number): Promise<ClaimedEvent[]> {
    const rows = await this.em().execute<OutboxRow[]>(
      `select id, event_id, type, subject, data, occurred_at from outbox_event where published_at is null order by id limit ?`,
      [limit],
    );
    return rows.map((row) => ({
      sequence: String(row.id),
      id: row.event_id,
      type: row.type as EventType,
      subject: row.subject,
      time: new Date(row.occurred_at),
      data: row.data,
    }));
  }

  async markPublished(sequences: readonly string[]): Promise<void> {
    if (sequences.length === 0) return;
    await this.em().execute(`update outbox_event set published_at = now() where id in (${sequences.map(() => '?').join(',')})`, [
      ...sequences,
    ]);
  }

  async recordFailure(sequences: readonly string[], message: string): Promise<void> {
    if (sequences.length === 0) return;
    await this.em().execute(
      `update outbox_event set attempts = attempts + 1, last_error = ? where id in (${sequences.map(() => '?').join(',')})`,
      [message.slice(0, 1000), ...sequences],
    );
  }

  async countUnpublished(): Promise<number> {
    const rows = await this.em().execute<{ count: string }[]>(
      `select count(*)::text as count from outbox_event where published_at is null`,
    );
    return Number(rows[0]?.count ?? 0);
  }
}

/**
 * Applies an event's effect once per consumer: the bookkeeping row and the consumer's own writes
 * commit in one transaction, so a redelivered event is skipped.
 */
export async function consumeOnce(
  orm: HubOrm,
  consumer: string,
  event: HubEvent,
  work: (em: EntityManager) => Promise<void>,
): Promise<boolean> {
  return orm.em.fork().transactional(async (em) => {
    const inserted = await em.execute<{ event_id: string }[]>(
      `insert into consumed_event (consumer, event_id, type, subject) values (?, ?, ?, ?) on conflict do nothing returning event_id`,
      [consumer, event.id, event.type, event.subject],
    );
    if (inserted.length === 0) return false;
    await work(em);
    return true;
  });
}

/** Whether a consumer already applied an event (for consumers whose effect is outside the database). */
export async function hasConsumed(orm: HubOrm, consumer: string, eventId: string): Promise<boolean> {
  const rows = await orm.em
    .fork()
    .execute<{ one: number }[]>('select 1 as one from consumed_event where consumer = ? and event_id = ?', [consumer, eventId]);
  return rows.length > 0;
}

/** Records that a consumer applied an event elsewhere (an idempotent remote call): redeliveries are skipped. */
export async function markConsumed(orm: HubOrm, consumer: string, event: HubEvent): Promise<void> {
  await orm.em
    .fork()
    .execute('insert into consumed_event (consumer, event_id, type, subject) values (?, ?, ?, ?) on conflict do nothing', [
      consumer,
      event.id,
      event.type,
      event.subject,
    ]);
}
