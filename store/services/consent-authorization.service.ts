import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/clock';
import {
  decideAuthorization,
  decideCodeExchange,
  decideTickedAttributes,
  type AcceptedAuthorization,
  type AuthorizationDecision,
  type AuthorizationQuery,
  type CodeRefusal,
} from '../../domain/consent/authorization-request';
import { isConsentAttribute, type ConsentAttribute, type ConsentRecord } from '../../domain/consent/consent';
import { NotFoundError } from '../../domain/errors';
import { translateStoreError } from '../store-errors';
import type { UnitOfWork } from '../unit-of-work';
import type { CatalogueService } from './catalogue.service';
import type { ClientRegistry } from './client-registry.service';
import type { ConsentService } from './consent.service';
import { hashToken, randomToken, type CitizenSession } from './citizen-session.service';

/** A pending authorization request, as the consent page needs it. */
export interface PendingAuthorization extends AcceptedAuthorization {
  id: string;
  expiresAt: Date;
}

interface RequestRow {
  id: string;
  client_id: string;
  redirect_uri: string;
  state: string;
  code_challenge: string;
  attributes: string[];
  purpose: string;
  procedure_code: string;
  valid_for_seconds: number;
  data_life_seconds: number;
  lang: 'vi' | 'en';
  browser_hash: string;
  status: 'PENDING' | 'CODE_ISSUED' | 'CODE_USED' | 'DECLINED';
  code_expires_at: Date | string | null;
  consent_id: string | null;
  expires_at: Date | string;
}

function toPending(row: RequestRow): PendingAuthorization {
  return {
    id: row.id,
    clientId: row.client_id,
    redirectUri: row.redirect_uri,
    state: row.state,
    codeChallenge: row.code_challenge,
    attributes: row.attributes.filter(isConsentAttribute),
    purpose: row.purpose,
    procedureCode: row.procedure_code,
    validForSeconds: row.valid_for_seconds,
    dataLifeSeconds: row.data_life_seconds,
    lang: row.lang,
    expiresAt: new Date(row.expires_at),
  };
}

/** base64url(SHA-256(verifier)): the S256 transform of RFC 7636 §4.2. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** The redirect URI with the response's parameters added to its query (RFC 6749 §4.1.2). */
export function withQuery(redirectUri: string, parameters: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}

export type ApproveOutcome =
  | { outcome: 'redirect'; location: string; consent: ConsentRecord }
  | { outcome: 'problem'; problem: 'NONE_TICKED' | 'NOT_ASKED'; request: PendingAuthorization };

export type ExchangeOutcome =
  { ok: true; record: ConsentRecord; token: string } | { ok: false; reason: CodeRefusal | 'CODE.CONSENT_GONE'; description: string };

/** Old requests are deleted at most this often per process. */
const PURGE_INTERVAL_MS = 60_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The portal's side of the consent flow: authorization requests (checked by the domain, stored for
 * `CONSENT_REQUEST_MINUTES`, bound to the browser that brought them), the citizen's decision (the
 * consent recorded by ConsentService.grant, then a one-time code kept as a hash), and the code
 * exchanged for the consent token.
 */
export class ConsentAuthorizations {
  private lastPurge = 0;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly clients: ClientRegistry,
    private readonly catalogue: CatalogueService,
    private readonly consents: ConsentService,
    private readonly lifetime: { requestMinutes: number; codeSeconds: number },
  ) {}

  /** Checks a request; an accepted one is stored, bound to this browser, and its id returned. */
  async authorize(query: AuthorizationQuery, browser: string): Promise<{ decision: AuthorizationDecision; id?: string }> {
    const client = query.client_id && query.client_id.length <= 100 ? await this.clients.find(query.client_id) : undefined;
    const decision = decideAuthorization(query, {
      client,
      purposes: client ? await this.consents.purposesOf(client.clientId) : [],
      procedureKnown: query.procedure ? await this.procedureName(query.procedure).then(Boolean) : false,
    });
    if (decision.outcome !== 'accepted') return { decision };
    const request = decision.request;
    const id = randomUUID();
    const now = this.clock.now();
    if (now.getTime() - this.lastPurge >= PURGE_INTERVAL_MS) {
      this.lastPurge = now.getTime();
      // Answered or abandoned requests are kept a day (a replayed code still finds its consent), then go.
      await this.execute('delete from consent_authorization where expires_at < ?', [new Date(now.getTime() - 86_400_000)]);
    }
    await this.execute(
      `insert into consent_authorization (id, client_id, redirect_uri, state, code_challenge, attributes, purpose, procedure_code, valid_for_seconds, data_life_seconds, lang, browser_hash, status, created_at, expires_at)
       values (?, ?, ?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?)`,
      [
        id,
        request.clientId,
        request.redirectUri,
        request.state,
        request.codeChallenge,
        JSON.stringify(request.attributes),
        request.purpose,
        request.procedureCode,
        request.validForSeconds,
        request.dataLifeSeconds,
        request.lang,
        hashToken(browser),
        now,
        new Date(now.getTime() + this.lifetime.requestMinutes * 60_000),
      ],
    );
    return { decision, id };
  }

  /** A request still waiting for the citizen, if this browser brought it; else undefined (one answer for all). */
  async pending(id: string, browser: string | undefined): Promise<PendingAuthorization | undefined> {
    if (!UUID.test(id) || !browser) return undefined;
    const rows = await this.uow
      .reader()
      .execute<RequestRow[]>(`select * from consent_authorization where id = ? and status = 'PENDING' and expires_at > ?`, [
        id,
        this.clock.now(),
      ]);
    const row = rows[0];
    return row && row.browser_hash === hashToken(browser) ? toPending(row) : undefined;
  }

  /** The procedure's name in the catalogue, or undefined. */
  async procedureName(code: string): Promise<string | undefined> {
    try {
      return (await this.catalogue.procedure(code)).name;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /**
   * The citizen approved these attributes: the consent is recorded (ConsentService.grant: history,
   * processing log, signed token), and a one-time code bound to client, redirect URI and challenge
   * goes back to the portal. The request is claimed first, so a double post records one consent.
   */
  async approve(
    request: PendingAuthorization,
    session: CitizenSession,
    ticked: readonly string[],
    requestId: string | null,
  ): Promise<ApproveOutcome | undefined> {
    const choice = decideTickedAttributes(request.attributes, ticked);
    if (!choice.ok) return { outcome: 'problem', problem: choice.problem, request };
    const code = randomToken();
    const now = this.clock.now();
    const claimed = await this.execute<{ id: string }[]>(
      `update consent_authorization set status = 'CODE_ISSUED', code_hash = ?, code_expires_at = ? where id = ? and status = 'PENDING' returning id`,
      [hashToken(code), new Date(now.getTime() + this.lifetime.codeSeconds * 1000), request.id],
    );
    if (claimed.length === 0) return undefined;
    const { record } = await this.consents.grant({
      personalId: session.personalId,
      clientId: request.clientId,
      attributes: choice.attributes as ConsentAttribute[],
      purpose: request.purpose,
      procedureCode: request.procedureCode,
      notAfter: new Date(now.getTime() + request.validForSeconds * 1000),
      dataLifeSeconds: request.dataLifeSeconds,
      requestId,
    });
    await this.execute('update consent_authorization set consent_id = ? where id = ?', [record.id, request.id]);
    return { outcome: 'redirect', location: withQuery(request.redirectUri, { code, state: request.state }), consent: record };
  }

  /** The citizen declined: nothing is recorded but the processing-log entry; the portal gets access_denied. */
  async decline(request: PendingAuthorization, session: CitizenSession, requestId: string | null): Promise<string | undefined> {
    const claimed = await this.execute<{ id: string }[]>(
      `update consent_authorization set status = 'DECLINED' where id = ? and status = 'PENDING' returning id`,
      [request.id],
    );
    if (claimed.length === 0) return undefined;
    await this.consents.recordDecline({
      personalId: session.personalId,
      clientId: request.clientId,
      attributes: request.attributes,
      purpose: request.purpose,
      procedureCode: request.procedureCode,
      requestId,
    });
    return withQuery(request.redirectUri, {
      error: 'access_denied',
      error_description: 'The citizen declined to share this data.',
      state: request.state,
    });
  }

  /**
   * Exchanges a code for the consent token (the client already authenticated). A code is used at
   * most once: the claim is one conditional update, and a code presented again withdraws the
   * consent it gave (RFC 6749 §4.1.2, §10.5).
   */
  async exchange(input: {
    clientId: string;
    code: string | undefined;
    redirectUri: string | undefined;
    codeVerifier: string | undefined;
  }): Promise<ExchangeOutcome> {
    const codeHash = input.code && input.code.length <= 100 ? hashToken(input.code) : undefined;
    const rows = codeHash
      ? await this.uow.reader().execute<RequestRow[]>('select * from consent_authorization where code_hash = ?', [codeHash])
      : [];
    const row = rows[0];
    const issued =
      row && row.consent_id && row.code_expires_at
        ? {
            clientId: row.client_id,
            redirectUri: row.redirect_uri,
            codeChallenge: row.code_challenge,
            expiresAt: new Date(row.code_expires_at),
            used: row.status === 'CODE_USED',
            consentId: row.consent_id,
          }
        : undefined;
    const verifier = input.codeVerifier && input.codeVerifier.length <= 128 ? input.codeVerifier : undefined;
    const decision = decideCodeExchange(issued, {
      clientId: input.clientId,
      redirectUri: input.redirectUri,
      codeVerifier: verifier,
      verifierChallenge: verifier === undefined ? undefined : s256(verifier),
      now: this.clock.now(),
    });
    if (!decision.ok) {
      if (decision.revokeConsentId) await this.revokeForReplay(decision.revokeConsentId);
      return { ok: false, reason: decision.reason, description: decision.description };
    }
    const claimed = await this.execute<{ id: string }[]>(
      `update consent_authorization set status = 'CODE_USED' where code_hash = ? and status = 'CODE_ISSUED' returning id`,
      [codeHash],
    );
    if (claimed.length === 0) {
      // Another exchange of the same code won the race: this one is the replay.
      await this.revokeForReplay(decision.consentId);
      return {
        ok: false,
        reason: 'CODE.ALREADY_USED',
        description: 'The authorization code was already used: the consent it gave is withdrawn.',
      };
    }
    const record = await this.consents.find(decision.consentId);
    if (!record || record.status !== 'GRANTED') {
      return { ok: false, reason: 'CODE.CONSENT_GONE', description: 'The consent of this code was withdrawn.' };
    }
    return { ok: true, record, token: await this.consents.tokenFor(record) };
  }

  private async revokeForReplay(consentId: string): Promise<void> {
    await this.consents.revoke(consentId, { kind: 'hub', reason: 'authorization-code-replayed' }, null);
  }

  private async execute<T = unknown>(sql: string, params: unknown[]): Promise<T> {
    try {
      return await this.uow.reader().execute<T & object>(sql, params as never);
    } catch (error) {
      throw translateStoreError(error);
    }
  }
}
