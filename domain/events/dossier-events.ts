/** Event types of the public contract (docs/API.md); topics are these names with KAFKA_TOPIC_PREFIX. */
export const EVENT_TYPES = [
  'dossier.received',
  'dossier.supplement-requested',
  'dossier.forwarded',
  'dossier.step-completed',
  'dossier.result-recorded',
  'dossier.result-signed',
  'dossier.deadline-extended',
  'dossier.returned',
  'dossier.rejected',
  'dossier.withdrawn',
  // The vault's documents (docs/API.md): code, type and issuer, never the owner.
  'document.digitized',
  'document.revoked',
  'document.superseded',
  // A signed checkpoint of the processing log (count and head link only: no personal data).
  'audit.checkpoint',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** A fact that happened in the domain; the store writes it to the outbox in the same transaction. */
export interface DomainEvent<TData extends object = Record<string, unknown>> {
  type: EventType;
  /** The dossier (or document) code, `processing-log` for a checkpoint: the Kafka key, so one dossier's events stay ordered. */
  subject: string;
  occurredAt: Date;
  data: TData;
}
