import { EVENT_TYPES, type EventType } from '../../domain/events/dossier-events';
import type { HubEvent } from '../../domain/events/event-bus.port';

/** CloudEvents 1.0, structured JSON mode: what travels on Kafka and what external consumers read. */
export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: Record<string, unknown>;
  /** CloudEvents `sequence` extension: the outbox position (ordering across topics). */
  sequence?: string;
}

export const CLOUD_EVENT_SOURCE = 'urn:onestop-hub';
/** Our CloudEvents `type` is reverse-DNS style so it is unique beyond this hub. */
const TYPE_PREFIX = 'vn.gov.onestop.';

export function toCloudEvent(event: HubEvent, source: string = CLOUD_EVENT_SOURCE): CloudEvent {
  return {
    specversion: '1.0',
    id: event.id,
    source,
    type: `${TYPE_PREFIX}${event.type}`,
    subject: event.subject,
    time: event.time.toISOString(),
    datacontenttype: 'application/json',
    data: event.data,
    ...(event.sequence ? { sequence: event.sequence } : {}),
  };
}

export function fromCloudEvent(value: unknown): HubEvent {
  const candidate = value as Partial<CloudEvent> | null;
  if (!candidate || candidate.specversion !== '1.0' || typeof candidate.id !== 'string' || typeof candidate.type !== 'string') {
    throw new Error('not a CloudEvents 1.0 structured event');
  }
  const type = candidate.type.startsWith(TYPE_PREFIX) ? candidate.type.slice(TYPE_PREFIX.length) : candidate.type;
  if (!(EVENT_TYPES as readonly string[]).includes(type)) throw new Error(`unknown event type ${candidate.type}`);
  return {
    id: candidate.id,
    type: type as EventType,
    subject: String(candidate.subject ?? ''),
    time: new Date(String(candidate.time)),
    data: (candidate.data ?? {}) as Record<string, unknown>,
    ...(typeof candidate.sequence === 'string' ? { sequence: candidate.sequence } : {}),
  };
}
