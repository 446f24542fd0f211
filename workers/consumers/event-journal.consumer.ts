import type { EventHandler } from '../../domain/events/event-bus.port';
import type { Logger } from '../../platform/logger';
import type { HubOrm } from '../../store/orm';
import { consumeOnce } from '../../store/outbox';

export const EVENT_JOURNAL = 'event-journal';

/**
 * Journals every event the hub publishes, once (redeliveries are skipped): the proof that the
 * event pipeline delivers, and the template every consumer follows (`consumeOnce` around its work).
 */
export function eventJournalConsumer(orm: HubOrm, logger: Logger, onApplied?: (type: string) => void): EventHandler {
  return async (event) => {
    const applied = await consumeOnce(orm, EVENT_JOURNAL, event, async () => undefined);
    if (applied) {
      onApplied?.(event.type);
      logger.debug({ eventId: event.id, type: event.type, subject: event.subject }, 'event journaled');
    }
  };
}
