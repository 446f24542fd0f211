import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../domain/clock';
import type { SubjectSealer } from '../../domain/consent/consent';
import type { VerifiedIdentity } from '../../domain/ports/identity-verifier.port';
import { translateStoreError } from '../store-errors';
import type { UnitOfWork } from '../unit-of-work';

/** A citizen signed in at the hub's own pages, as a request sees them. */
export interface CitizenSession {
  personalId: string;
  subjectPseudonym: string;
  name: string | null;
  acr: string;
  /** The session's CSRF token: every form of its pages carries it. */
  csrf: string;
  expiresAt: Date;
}

/** A sign-in at the national identity provider in progress (OIDC state, nonce and PKCE verifier). */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

/** An unguessable value for a cookie or a code: 256 bits, base64url. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the store keeps of a secret value (a session id, a cookie, a code): its SHA-256. */
export function hashToken(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

/** Constant-time comparison of two texts (CSRF tokens). */
export function sameToken(a: string | undefined, b: string): boolean {
  if (typeof a !== 'string') return false;
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

interface SessionRow {
  subject_sealed: string;
  subject_pseudonym: string;
  name_sealed: string | null;
  acr: string;
  csrf_token: string;
  expires_at: Date | string;
}

/** Expired rows are deleted at most this often per process. */
const PURGE_INTERVAL_MS = 60_000;

/**
 * Citizen sessions and the sign-ins that open them, in PostgreSQL so any replica serves them. Only
 * hashes of the session id and of the OIDC state are stored; the personal id, the name and the PKCE
 * verifier are sealed (certs/), the pseudonym is the processing log's.
 */
export class CitizenSessions {
  private lastPurge = 0;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly sealer: SubjectSealer,
    private readonly pseudonym: (personalId: string) => string,
    private readonly lifetime: { sessionMinutes: number; signInMinutes: number },
  ) {}

  /** Opens a session for a verified citizen; the id is the cookie's value, shown once. */
  async open(identity: VerifiedIdentity): Promise<{ id: string; session: CitizenSession }> {
    await this.purge();
    const id = randomToken();
    const now = this.clock.now();
    const session: CitizenSession = {
      personalId: identity.personalId,
      subjectPseudonym: this.pseudonym(identity.personalId),
      name: identity.name,
      acr: identity.acr,
      csrf: randomToken(),
      expiresAt: new Date(now.getTime() + this.lifetime.sessionMinutes * 60_000),
    };
    await this.execute(
      'insert into citizen_session (id_hash, subject_sealed, subject_pseudonym, name_sealed, acr, csrf_token, created_at, expires_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
      [
        hashToken(id),
        this.sealer.seal(session.personalId),
        session.subjectPseudonym,
        session.name === null ? null : this.sealer.seal(session.name),
        session.acr,
        session.csrf,
        now,
        session.expiresAt,
      ],
    );
    return { id, session };
  }

  /** The open session of this cookie value, or undefined (none, ended, expired). */
  async find(id: string | undefined): Promise<CitizenSession | undefined> {
    if (!id || id.length > 100) return undefined;
    const rows = await this.uow
      .reader()
      .execute<SessionRow[]>('select * from citizen_session where id_hash = ? and expires_at > ?', [hashToken(id), this.clock.now()]);
    const row = rows[0];
    if (!row) return undefined;
    return {
      personalId: this.sealer.open(row.subject_sealed),
      subjectPseudonym: row.subject_pseudonym,
      name: row.name_sealed === null ? null : this.sealer.open(row.name_sealed),
      acr: row.acr,
      csrf: row.csrf_token,
      expiresAt: new Date(row.expires_at),
    };
  }

  async end(id: string | undefined): Promise<void> {
    if (id) await this.execute('delete from citizen_session where id_hash = ?', [hashToken(id)]);
  }

  /** Keeps a sign-in started in this browser until the provider sends it back. */
  async beginSignIn(signIn: PendingSignIn, browser: string): Promise<void> {
    await this.purge();
    await this.execute(
      'insert into identity_sign_in (state_hash, nonce, code_verifier_sealed, browser_hash, return_to, expires_at) values (?, ?, ?, ?, ?, ?)',
      [
        hashToken(signIn.state),
        signIn.nonce,
        this.sealer.seal(signIn.codeVerifier),
        hashToken(browser),
        signIn.returnTo,
        new Date(this.clock.now().getTime() + this.lifetime.signInMinutes * 60_000),
      ],
    );
  }

  /**
   * The sign-in of this state, once (it is deleted as it is taken), if this browser started it and
   * it has not expired: a callback URL replayed or carried to another browser opens nothing.
   */
  async takeSignIn(state: string | undefined, browser: string | undefined): Promise<PendingSignIn | undefined> {
    if (!state || !browser || state.length > 200) return undefined;
    const rows = await this.execute<{ nonce: string; code_verifier_sealed: string; browser_hash: string; return_to: string }[]>(
      'delete from identity_sign_in where state_hash = ? and expires_at > ? returning nonce, code_verifier_sealed, browser_hash, return_to',
      [hashToken(state), this.clock.now()],
    );
    const row = rows[0];
    if (!row || row.browser_hash !== hashToken(browser)) return undefined;
    return { state, nonce: row.nonce, codeVerifier: this.sealer.open(row.code_verifier_sealed), returnTo: row.return_to };
  }

  private async purge(): Promise<void> {
    const now = this.clock.now();
    if (now.getTime() - this.lastPurge < PURGE_INTERVAL_MS) return;
    this.lastPurge = now.getTime();
    await this.execute('delete from citizen_session where expires_at < ?', [now]);
    await this.execute('delete from identity_sign_in where expires_at < ?', [now]);
  }

  private async execute<T = unknown>(sql: string, params: unknown[]): Promise<T> {
    try {
      return await this.uow.reader().execute<T & object>(sql, params as never);
    } catch (error) {
      throw translateStoreError(error);
    }
  }
}
