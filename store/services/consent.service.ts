import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/clock';
import {
  decideConsentRequest,
  decideConsentedRead,
  isConsentAttribute,
  type ClientConsentPurpose,
  type ConsentAttribute,
  type ConsentRecord,
  type ConsentRefusal,
  type ConsentTokenPort,
  type SubjectSealer,
} from '../../domain/consent/consent';
import { ConsentRequiredError, ForbiddenError, InvalidInputError, NotFoundError } from '../../domain/errors';
import type { AuditEntry } from '../audit-log';
import { translateStoreError } from '../store-errors';
import type { UnitOfWork } from '../unit-of-work';
import { purposesOfClient } from './consent-purposes.service';

/** The processing log as the consent service needs it. */
export interface ConsentAudit {
  append(entries: readonly AuditEntry[]): Promise<void>;
  subjectRef(personalId: string): string;
  subjectRefs(personalId: string): string[];
}

export interface GrantConsent {
  /** The citizen, as the identity provider verified them. */
  personalId: string;
  clientId: string;
  attributes: readonly string[];
  purpose: string;
  procedureCode: string;
  notAfter: Date;
  dataLifeSeconds: number;
  requestId: string | null;
}

/** Who withdraws a consent: the client it is bound to, or the citizen (verified). */
export type Revoker =
  | { kind: 'client'; clientId: string }
  | { kind: 'citizen'; personalId: string }
  /** The hub itself, for a security reason (an authorization code replayed). */
  | { kind: 'hub'; reason: string };

export interface ConsentedRead {
  clientId: string;
  /** Whom the read is about; undefined when the caller checks it on the data (`isSubject`). */
  personalId?: string | undefined;
  attributes: readonly string[];
  procedureCode?: string | undefined;
  purpose?: string | undefined;
}

interface Row {
  id: string;
  subject_pseudonym: string;
  client_id: string;
  attributes: string[];
  purpose: string;
  procedure_code: string;
  issued_at: Date | string;
  not_after: Date | string;
  data_life_seconds: number;
  status: 'GRANTED' | 'REVOKED';
  revoked_at: Date | string | null;
  subject_sealed: string;
}

function toRecord(row: Row): ConsentRecord {
  return {
    id: row.id,
    subjectPseudonym: row.subject_pseudonym,
    clientId: row.client_id,
    attributes: row.attributes.filter(isConsentAttribute),
    purpose: row.purpose,
    procedureCode: row.procedure_code,
    issuedAt: new Date(row.issued_at),
    notAfter: new Date(row.not_after),
    dataLifeSeconds: row.data_life_seconds,
    status: row.status,
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
  };
}

const wholeSeconds = (at: Date) => new Date(Math.floor(at.getTime() / 1000) * 1000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Consent records: granted, revoked, presented. The database is the truth: every presentation reads
 * the record, so a revocation holds at once on every replica (no cache). Every event is in the
 * processing log with the consent id.
 */
export class ConsentService {
  /** The sealed subject of each record `find` read (records are not kept once their request is done). */
  private readonly sealedSubjects = new WeakMap<ConsentRecord, string>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly tokens: ConsentTokenPort,
    private readonly audit: ConsentAudit,
    private readonly sealer: SubjectSealer,
  ) {}

  /** What a client may ask a citizen for. */
  async purposesOf(clientId: string): Promise<ClientConsentPurpose[]> {
    return purposesOfClient(this.uow.reader(), clientId);
  }

  async grant(input: GrantConsent): Promise<{ record: ConsentRecord; token: string }> {
    // Whole seconds, as the token's iat and exp carry them: token and record must agree exactly.
    const issuedAt = wholeSeconds(this.clock.now());
    const notAfter = wholeSeconds(input.notAfter);
    const decision = decideConsentRequest(await this.purposesOf(input.clientId), { ...input, issuedAt, notAfter });
    if (!decision.allowed) throw new InvalidInputError(decision.message, { reason: decision.reason });
    const record: ConsentRecord = {
      id: randomUUID(),
      subjectPseudonym: this.audit.subjectRef(input.personalId),
      clientId: input.clientId,
      attributes: [...new Set(input.attributes)] as ConsentAttribute[],
      purpose: input.purpose,
      procedureCode: input.procedureCode,
      issuedAt,
      notAfter,
      dataLifeSeconds: input.dataLifeSeconds,
      status: 'GRANTED',
      revokedAt: null,
    };
    try {
      await this.uow.run(async (em) => {
        await em.execute(
          `insert into consent (id, subject_pseudonym, subject_sealed, client_id, attributes, purpose, procedure_code, issued_at, not_after, data_life_seconds, status)
           values (?, ?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?, ?, ?, ?, ?, 'GRANTED')`,
          [
            record.id,
            record.subjectPseudonym,
            this.sealer.seal(input.personalId),
            record.clientId,
            // As JSON: the driver would spread an array into separate parameters.
            JSON.stringify(record.attributes),
            record.purpose,
            record.procedureCode,
            record.issuedAt,
            record.notAfter,
            record.dataLifeSeconds,
          ],
        );
        await em.execute(`insert into consent_event (consent_id, at, kind, by) values (?, ?, 'GRANTED', ?)`, [
          record.id,
          issuedAt,
          `citizen:${record.subjectPseudonym}`,
        ]);
      });
    } catch (error) {
      throw translateStoreError(error);
    }
    await this.audit.append([this.entry(record, 'consent.grant', input.clientId, input.requestId)]);
    return { record, token: await this.tokens.sign(record) };
  }

  async find(id: string): Promise<ConsentRecord | undefined> {
    if (!UUID.test(id)) return undefined;
    const rows = await this.uow.reader().execute<Row[]>('select * from consent where id = ?', [id]);
    if (!rows[0]) return undefined;
    const record = toRecord(rows[0]);
    // Kept with the record read, so that subjectOf right after asks the store nothing more.
    this.sealedSubjects.set(record, rows[0].subject_sealed);
    return record;
  }

  /** A consent's history, oldest first. */
  async history(id: string): Promise<{ at: Date; kind: 'GRANTED' | 'REVOKED'; by: string }[]> {
    const rows = await this.uow
      .reader()
      .execute<{ at: Date | string; kind: 'GRANTED' | 'REVOKED'; by: string }[]>(
        'select at, kind, by from consent_event where consent_id = ? order by id',
        [id],
      );
    return rows.map((row) => ({ at: new Date(row.at), kind: row.kind, by: row.by }));
  }

  /** Withdraws a consent, effective at once; revoking twice is a no-op answering the same record. */
  async revoke(id: string, by: Revoker, requestId: string | null): Promise<ConsentRecord> {
    const record = await this.find(id);
    const mayRevoke =
      record !== undefined &&
      (by.kind === 'hub' || (by.kind === 'client' ? record.clientId === by.clientId : this.isSubject(record, by.personalId)));
    // One answer for "no such consent" and "not yours": ids of others' consents are not confirmed.
    if (!record || !mayRevoke) {
      throw new NotFoundError('No consent with this id was given to you or by you.', { reason: 'CONSENT.NOT_FOUND' });
    }
    if (record.status === 'REVOKED') return record;
    const at = this.clock.now();
    const actor =
      by.kind === 'client' ? `client:${by.clientId}` : by.kind === 'hub' ? `hub:${by.reason}` : `citizen:${record.subjectPseudonym}`;
    await this.uow.run(async (em) => {
      await em.execute(`update consent set status = 'REVOKED', revoked_at = ? where id = ? and status = 'GRANTED'`, [at, id]);
      await em.execute(`insert into consent_event (consent_id, at, kind, by) values (?, ?, 'REVOKED', ?)`, [id, at, actor]);
    });
    const revoked: ConsentRecord = { ...record, status: 'REVOKED', revokedAt: at };
    await this.audit.append([this.entry(revoked, 'consent.revoke', actor, requestId)]);
    return revoked;
  }

  /**
   * The consent a token presents, checked against its stored record for this read: the record when
   * allowed; FORBIDDEN for another client, CONSENT_REQUIRED otherwise (not a token of ours, altered,
   * revoked, expired, another procedure or purpose, an attribute not consented), with its reason.
   */
  async present(token: string, read: ConsentedRead): Promise<ConsentRecord> {
    const claims = await this.tokens.verify(token);
    const record = claims ? await this.find(claims.consentId) : undefined;
    const decision = decideConsentedRead(claims, record, {
      clientId: read.clientId,
      subjectPseudonym: read.personalId === undefined ? undefined : this.audit.subjectRef(read.personalId),
      attributes: read.attributes,
      procedureCode: read.procedureCode,
      purpose: read.purpose,
      now: this.clock.now(),
    });
    if (decision.allowed) return record!;
    throw consentRefused(decision.reason, decision.message);
  }

  /** A consent token for a stored record (the consent flow hands it over at the code exchange). */
  async tokenFor(record: ConsentRecord): Promise<string> {
    return this.tokens.sign(record);
  }

  /** A citizen's consents under any of their pseudonyms, newest first ("my data"). */
  async ofSubject(personalId: string, limit = 200): Promise<ConsentRecord[]> {
    const rows = await this.uow
      .reader()
      .execute<Row[]>(
        'select * from consent where subject_pseudonym in (select jsonb_array_elements_text(?::jsonb)) order by issued_at desc, id limit ?',
        [JSON.stringify(this.audit.subjectRefs(personalId)), limit],
      );
    return rows.map(toRecord);
  }

  /** A citizen declined a portal's request: nothing is recorded but the processing-log entry. */
  async recordDecline(input: {
    personalId: string;
    clientId: string;
    attributes: readonly string[];
    purpose: string;
    procedureCode: string;
    requestId: string | null;
  }): Promise<void> {
    const subject = this.audit.subjectRef(input.personalId);
    await this.audit.append([
      {
        actor: `citizen:${subject}`,
        action: 'consent.decline',
        subject,
        basis: null,
        requestId: input.requestId,
        details: {
          clientId: input.clientId,
          attributes: [...input.attributes],
          purpose: input.purpose,
          procedureCode: input.procedureCode,
        },
      },
    ]);
  }

  /** The personal id of the citizen who gave a consent (to read the registries for them). */
  async subjectOf(record: ConsentRecord): Promise<string> {
    const sealed = this.sealedSubjects.get(record);
    if (sealed !== undefined) return this.sealer.open(sealed);
    const rows = await this.uow
      .reader()
      .execute<{ subject_sealed: string }[]>('select subject_sealed from consent where id = ?', [record.id]);
    return this.sealer.open(rows[0]!.subject_sealed);
  }

  /** Is this person the one who gave the consent? */
  isSubject(record: ConsentRecord, personalId: string): boolean {
    return this.audit.subjectRefs(personalId).includes(record.subjectPseudonym);
  }

  private entry(record: ConsentRecord, action: string, actor: string, requestId: string | null): AuditEntry {
    return {
      actor,
      action,
      subject: record.subjectPseudonym,
      basis: `consent:${record.id}`,
      requestId,
      details: {
        consentId: record.id,
        clientId: record.clientId,
        attributes: [...record.attributes],
        purpose: record.purpose,
        procedureCode: record.procedureCode,
        notAfter: record.notAfter.toISOString(),
      },
    };
  }
}

/** The error a refusal is answered with, its reason the typed one of the domain. */
export function consentRefused(reason: ConsentRefusal, message: string): Error {
  // A bad consent token is not a bad access token: the portal must ask the citizen again, not sign in again.
  if (reason === 'CONSENT.WRONG_CLIENT') return new ForbiddenError(message, { reason });
  return new ConsentRequiredError(message, { reason });
}
