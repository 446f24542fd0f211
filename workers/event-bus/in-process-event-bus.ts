import type { EventBus, EventHandler, HubEvent } from '../../domain/events/event-bus.port';

/**
 * The embedded default: the relay hands each committed event straight to the registered consumers,
 * in outbox order. A consumer failure fails the publish, so the relay retries the event later;
 * consumers are idempotent, so the ones that had succeeded skip it.
 */
export class InProcessEventBus implements EventBus {
  readonly kind = 'in-process' as const;
  private readonly handlers = new Map<string, EventHandler>();

  async publish(events: readonly HubEvent[]): Promise<void> {
    for (const event of events) {
      for (const handler of this.handlers.values()) await handler(event);
    }
  }

  async subscribe(consumerName: string, handler: EventHandler): Promise<void> {
    this.handlers.set(consumerName, handler);
  }

  async checkHealth(): Promise<void> {}

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
