import { ATTRIBUTE_LABELS, labelOf } from '../domain/consent/attribute-labels';
import { isConsentAttribute, type ConsentRecord } from '../domain/consent/consent';
import type { LoggedEntry } from '../domain/audit/processing-log-chain';
import type { CitizenSession } from '../store/services/citizen-session.service';
import type { AttributeView, CitizenView, ConsentListItemView, DataReadView } from '../web/citizen-pages.views';

/** The citizen as the pages show them: the personal id masked. */
export function citizenView(session: CitizenSession): CitizenView {
  const id = session.personalId;
  return { name: session.name, maskedPersonalId: `${id.slice(0, 4)}•••••${id.slice(-3)}`, acr: session.acr };
}

export function attributeView(scope: string): AttributeView {
  const known = isConsentAttribute(scope) ? ATTRIBUTE_LABELS[scope] : undefined;
  return { scope, label: labelOf(scope), source: known?.source ?? scope.split('.')[0] ?? scope };
}

/** What the citizen reads about a purpose: a prefill names its procedure; others are shown by their code. */
/** What a purpose says to the citizen when its registration has no description. */
export function purposeDescription(purpose: string, procedureName: string): { vi: string; en: string } {
  if (purpose.startsWith('prefill:')) {
    return { vi: `Điền sẵn tờ khai: ${procedureName}`, en: `Prefill the declaration of: ${procedureName}` };
  }
  return { vi: purpose, en: purpose };
}

export interface Names {
  client(clientId: string): Promise<string>;
  procedure(code: string): Promise<string>;
  /** A client's purpose in words: its registered description, else one made from the procedure. */
  purpose(clientId: string, purpose: string, procedureName: string): Promise<{ vi: string; en: string }>;
}

export async function consentItemView(record: ConsentRecord, names: Names, now: Date): Promise<ConsentListItemView> {
  const status = record.status === 'REVOKED' ? 'REVOKED' : now.getTime() >= record.notAfter.getTime() ? 'EXPIRED' : 'GRANTED';
  const procedureName = await names.procedure(record.procedureCode);
  return {
    id: record.id,
    client: { clientId: record.clientId, name: await names.client(record.clientId) },
    procedure: { code: record.procedureCode, name: procedureName },
    purpose: { code: record.purpose, description: await names.purpose(record.clientId, record.purpose, procedureName) },
    attributes: record.attributes.map(attributeView),
    issuedAt: record.issuedAt,
    notAfter: record.notAfter,
    dataLifeSeconds: record.dataLifeSeconds,
    status,
    revokedAt: record.revokedAt,
    ...(status === 'GRANTED' ? { revokeAction: `/my-data/consents/${record.id}/revoke` } : {}),
  };
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** A processing-log entry as a read of the citizen's data: who (by name), what, why. */
export async function dataReadView(logged: LoggedEntry, names: Names): Promise<DataReadView> {
  const { entry } = logged;
  const details = entry.details ?? {};
  const attributes = strings(details['attributes']);
  const fields = strings(details['fields']);
  const what = (attributes.length > 0 ? attributes : fields).map((key) => ({ key, label: labelOf(key) }));
  const basis = entry.basis ?? '';
  return {
    at: new Date(logged.at),
    who: { id: entry.actor, name: await names.client(entry.actor) },
    what,
    why: basis.startsWith('consent:')
      ? { kind: 'consent', consentId: basis.slice('consent:'.length) }
      : { kind: 'legal-basis', basis: basis || 'unspecified' },
    action: fields.includes('prefill') ? 'prefill' : entry.action,
  };
}
