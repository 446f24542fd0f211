import type { EventType } from './dossier-events';

/** An outbox event as it travels: the CloudEvents attributes plus our data. */
export interface HubEvent {
  /** Unique per event (the outbox row id); consumers use it to drop duplicates. */
  id: string;
  type: EventType;
  /** Dossier or document code; the partition key. */
  subject: string;
  time: Date;
  data: Record<string, unknown>;
  /**
   * Position in the hub's outbox. Topics are per event type, so Kafka orders a dossier's events only
   * within one type; consumers that need the order across types sort by this.
   */
  sequence?: string;
}

export type EventHandler = (event: HubEvent) => Promise<void>;

/**
 * The event bus: Kafka in a distributed deployment, in-process dispatch in the embedded default.
 * Both drivers pass the same contract tests.
 */
export interface EventBus {
  readonly kind: 'kafka' | 'in-process';
  /** Resolves once every event is durably accepted by the bus (for Kafka: acknowledged by the broker). */
  publish(events: readonly HubEvent[]): Promise<void>;
  /** Registers a consumer; delivery is at least once, so handlers must be idempotent. */
  subscribe(consumerName: string, handler: EventHandler): Promise<void>;
  /** Throws when the bus cannot be reached. */
  checkHealth(): Promise<void>;
  close(): Promise<void>;
}
