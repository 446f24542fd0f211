import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DomainEvent } from '../domain/events/dossier-events';
import { OutboxEventEntity } from './entities';
import { translateStoreError } from './store-errors';
import type { HubOrm } from './orm';

/** Collects the domain events of one use case; they are written to the outbox in its transaction. */
export class EventCollector {
  readonly events: DomainEvent[] = [];
  record(event: DomainEvent): void {
    this.events.push(event);
  }
}

export type CommitListener = () => void;

/** The part of knex's client that lends its pool's node-postgres connections. */
interface PooledConnections {
  acquireConnection(): Promise<{ query<R>(query: { name?: string; text: string; values: unknown[] }): Promise<{ rows: R[] }> }>;
  releaseConnection(connection: unknown): Promise<void>;
}

/**
 * Runs one use case in one database transaction on a fresh EntityManager: the changes and their
 * outbox events commit together or not at all. Listeners (the relay) are told after the commit,
 * never inside it.
 */
export class UnitOfWork {
  private readonly listeners: CommitListener[] = [];

  constructor(
    private readonly orm: HubOrm,
    private readonly options: { namedStatements?: boolean } = {},
  ) {}

  onCommit(listener: CommitListener): void {
    this.listeners.push(listener);
  }

  async run<T>(work: (em: EntityManager, events: EventCollector) => Promise<T>): Promise<T> {
    const collector = new EventCollector();
    let result: T;
    try {
      result = await this.orm.em.fork().transactional(async (em) => {
        const value = await work(em, collector);
        for (const event of collector.events) em.persist(toOutboxRow(em, event));
        return value;
      });
    } catch (error) {
      throw translateStoreError(error);
    }
    if (collector.events.length > 0) for (const listener of this.listeners) listener();
    return result;
  }

  /** One read-only SQL statement (`?` placeholders), with no EntityManager: for reads that hydrate nothing. */
  query<T extends object>(sql: string, params: readonly unknown[]): Promise<T[]> {
    return this.orm.em.getConnection().execute<T[]>(sql, [...params]);
  }

  /**
   * One read-only statement (`$1` placeholders) on a connection of the ORM's pool, past the ORM and
   * its query builder: a call allocates no EntityManager. With `namedStatements`, each connection
   * parses and plans it once under `name`. For the hottest reads (the status look-up).
   */
  async prepared<T extends object>(name: string, sql: string, params: readonly unknown[]): Promise<T[]> {
    const pool = this.orm.em.getConnection().getKnex().client as unknown as PooledConnections;
    const connection = await pool.acquireConnection();
    try {
      const query = this.options.namedStatements ? { name, text: sql, values: [...params] } : { text: sql, values: [...params] };
      return (await connection.query<T>(query)).rows;
    } finally {
      await pool.releaseConnection(connection);
    }
  }

  /** A read-only EntityManager for queries (no transaction, no outbox). */
  reader(): EntityManager {
    return this.orm.em.fork();
  }
}

function toOutboxRow(em: EntityManager, event: DomainEvent): OutboxEventEntity {
  return em.create(OutboxEventEntity, {
    eventId: randomUUID(),
    type: event.type,
    subject: event.subject,
    data: event.data as Record<string, unknown>,
    occurredAt: event.occurredAt,
    attempts: 0,
  });
}
