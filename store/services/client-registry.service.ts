import type { Clock } from '../../domain/clock';
import { ConflictError, InvalidInputError, NotFoundError, UnauthenticatedError } from '../../domain/errors';
import { AGENCY_BOUND_KINDS, CLIENT_KINDS, MAX_SCOPES, SCOPES, type ClientKind, type Scope } from '../../domain/access/principal';
import { generateSecret, hashSecret, verifySecret } from '../../platform/secrets';
import { AgencyEntity, ApiClientEntity } from '../entities';
import type { GrantType } from '../entities/api-client.entity';
import { translateStoreError } from '../store-errors';
import type { UnitOfWork } from '../unit-of-work';

export interface NewClient {
  clientId: string;
  name: string;
  kind: ClientKind;
  agencyCode?: string | null | undefined;
  /** @default every scope the kind may have */
  scopes?: Scope[] | undefined;
  /** @default ['client_secret'] */
  grantTypes?: GrantType[] | undefined;
  /** Public key (JWK) for private-key JWT authentication. */
  publicJwk?: Record<string, unknown> | null | undefined;
  trustedDocumentsOnly?: boolean | undefined;
  /** mTLS: the client must also present a certificate from the hub's CA naming it. */
  tlsCertificateRequired?: boolean | undefined;
  isDemo?: boolean | undefined;
  /** Consent flow (portals): the redirect URIs the hub may send the citizen's browser back to. */
  redirectUris?: string[] | undefined;
  /** The portal's own client id at the national identity provider (ID tokens it relays name it as audience). */
  identityClientId?: string | null | undefined;
  /** A chosen secret (demo clients); otherwise one is generated and shown once. */
  secret?: string | undefined;
}

export interface RegisteredClient {
  clientId: string;
  name: string;
  kind: ClientKind;
  agencyCode: string | null;
  scopes: Scope[];
  grantTypes: GrantType[];
  publicJwk: Record<string, unknown> | null;
  trustedDocumentsOnly: boolean;
  tlsCertificateRequired: boolean;
  isDemo: boolean;
  active: boolean;
  redirectUris: string[];
  identityClientId: string | null;
}

function view(entity: ApiClientEntity): RegisteredClient {
  return {
    clientId: entity.clientId,
    name: entity.name,
    kind: entity.kind,
    agencyCode: entity.agency?.code ?? null,
    scopes: [...entity.scopes],
    grantTypes: [...entity.grantTypes],
    publicJwk: entity.publicJwk ?? null,
    trustedDocumentsOnly: entity.trustedDocumentsOnly,
    tlsCertificateRequired: entity.tlsCertificateRequired,
    isDemo: entity.isDemo,
    active: entity.status === 'ACTIVE',
    redirectUris: [...(entity.redirectUris ?? [])],
    identityClientId: entity.identityClientId ?? null,
  };
}

/**
 * A redirect URI a portal may register: absolute, https (plain http only on the loopback, RFC 8252
 * §7.3), no fragment (RFC 6749 §3.1.2), compared later as the exact string registered.
 */
function checkRedirectUri(raw: string): void {
  const invalid = (why: string) =>
    new InvalidInputError(`Redirect URI ${JSON.stringify(raw.slice(0, 200))}: ${why}.`, { reason: 'CLIENT.INVALID_REDIRECT_URI' });
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('not an absolute URL');
  }
  if (url.hash || raw.includes('#')) throw invalid('a redirect URI has no fragment');
  if (url.username || url.password) throw invalid('a redirect URI carries no credentials');
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw invalid('expected https (plain http only on the loopback)');
  if (raw.length > 2000) throw invalid('longer than 2000 characters');
}

const CLIENT_ID = /^[a-z0-9][a-z0-9._-]{2,62}$/;

let dummy: Promise<string> | undefined;
/** A hash of nothing in particular, to check unknown clients' secrets against. */
function dummyHash(): Promise<string> {
  dummy ??= hashSecret(generateSecret());
  return dummy;
}

/** Expired assertion records are deleted at most this often per process. */
const PURGE_INTERVAL_MS = 60_000;

const created = (now: Date) => ({ createdAt: now, updatedAt: now });

/** The registry of API clients: who may call the hub, for which agency, with which scopes. */
export class ClientRegistry {
  private lastPurge = 0;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /**
   * Records the use of a client assertion (RFC 7523 §3: each `jti` once): true the first time, false
   * for a replay, on whichever replica it was first used. The record is kept until `expiresAt` (the
   * caller caps it to the longest lifetime it accepts), then purged.
   */
  async recordAssertionUse(clientId: string, jti: string, expiresAt: Date, now: Date): Promise<boolean> {
    const em = this.uow.reader();
    try {
      if (now.getTime() - this.lastPurge >= PURGE_INTERVAL_MS) {
        this.lastPurge = now.getTime();
        await em.execute('delete from client_assertion_use where expires_at < ?', [now]);
      }
      const inserted = await em.execute<{ jti: string }[]>(
        'insert into client_assertion_use (client_id, jti, expires_at, used_at) values (?, ?, ?, ?) on conflict do nothing returning jti',
        [clientId, jti, expiresAt, now],
      );
      return inserted.length === 1;
    } catch (error) {
      throw translateStoreError(error);
    }
  }

  /** Assertion records held now, expired or not (for tests and operators). */
  async assertionRecords(): Promise<{ clientId: string; jti: string; expiresAt: Date }[]> {
    const rows = await this.uow
      .reader()
      .execute<{ client_id: string; jti: string; expires_at: Date | string }[]>(
        'select client_id, jti, expires_at from client_assertion_use order by used_at',
      );
    return rows.map((row) => ({ clientId: row.client_id, jti: row.jti, expiresAt: new Date(row.expires_at) }));
  }

  private validate(input: NewClient): { scopes: Scope[]; grantTypes: GrantType[] } {
    if (!CLIENT_ID.test(input.clientId)) {
      throw new InvalidInputError('A client id has 3 to 63 lower-case letters, digits, dots, dashes or underscores.', {
        reason: 'CLIENT.INVALID_ID',
      });
    }
    if (!CLIENT_KINDS.includes(input.kind))
      throw new InvalidInputError(`Client kind must be one of ${CLIENT_KINDS.join(', ')}.`, { reason: 'CLIENT.INVALID_KIND' });
    const allowed = MAX_SCOPES[input.kind];
    const scopes = input.scopes ?? [...allowed];
    const unknown = scopes.filter((s) => !SCOPES.includes(s));
    if (unknown.length)
      throw new InvalidInputError(`Unknown scopes: ${unknown.join(', ')}. Known: ${SCOPES.join(', ')}.`, {
        reason: 'CLIENT.UNKNOWN_SCOPE',
      });
    const beyond = scopes.filter((s) => !allowed.includes(s));
    if (beyond.length) {
      throw new InvalidInputError(`A ${input.kind} client may not have ${beyond.join(', ')} (allowed: ${allowed.join(', ')}).`, {
        reason: 'CLIENT.SCOPE_NOT_ALLOWED',
      });
    }
    if (AGENCY_BOUND_KINDS.has(input.kind) && !input.agencyCode) {
      throw new InvalidInputError(`A ${input.kind} client acts for one agency: give its agency code.`, {
        reason: 'CLIENT.AGENCY_REQUIRED',
      });
    }
    const grantTypes = input.grantTypes ?? ['client_secret'];
    if (grantTypes.includes('private_key_jwt') && !input.publicJwk) {
      throw new InvalidInputError('Private-key JWT authentication needs the client’s public key (JWK).', { reason: 'CLIENT.JWK_REQUIRED' });
    }
    for (const uri of input.redirectUris ?? []) checkRedirectUri(uri);
    if ((input.redirectUris?.length ?? 0) > 0 && input.kind !== 'PORTAL') {
      throw new InvalidInputError('Only a portal asks citizens for consent: redirect URIs are for portals.', {
        reason: 'CLIENT.REDIRECT_URI_NOT_PORTAL',
      });
    }
    return { scopes, grantTypes };
  }

  /** Registers a client; returns the secret once (it is stored only as a hash). */
  async create(input: NewClient): Promise<{ client: RegisteredClient; secret: string | undefined }> {
    const { scopes, grantTypes } = this.validate(input);
    const secret = grantTypes.includes('client_secret') ? (input.secret ?? generateSecret()) : undefined;
    const secretHash = secret ? await hashSecret(secret) : null;
    return this.uow.run(async (em) => {
      if (await em.findOne(ApiClientEntity, { clientId: input.clientId })) {
        throw new ConflictError(`A client "${input.clientId}" already exists.`, { reason: 'CLIENT.EXISTS' });
      }
      const agency = input.agencyCode ? await em.findOne(AgencyEntity, { code: input.agencyCode }) : null;
      if (input.agencyCode && !agency)
        throw new NotFoundError(`There is no agency with code "${input.agencyCode}".`, { reason: 'AGENCY.NOT_FOUND' });
      const entity = em.create(ApiClientEntity, {
        clientId: input.clientId,
        name: input.name,
        kind: input.kind,
        agency,
        scopes,
        grantTypes,
        secretHash,
        publicJwk: input.publicJwk ?? null,
        ...created(this.clock.now()),
        trustedDocumentsOnly: input.trustedDocumentsOnly ?? false,
        tlsCertificateRequired: input.tlsCertificateRequired ?? false,
        isDemo: input.isDemo ?? false,
        redirectUris: [...new Set(input.redirectUris ?? [])],
        identityClientId: input.identityClientId ?? null,
      });
      em.persist(entity);
      return { client: view(entity), secret };
    });
  }

  /** Creates the client if missing, else resets it to this definition (used for demo clients). */
  async ensure(input: NewClient): Promise<RegisteredClient> {
    const existing = await this.find(input.clientId);
    if (!existing) return (await this.create(input)).client;
    const { scopes, grantTypes } = this.validate(input);
    const secretHash = input.secret ? await hashSecret(input.secret) : undefined;
    return this.uow.run(async (em) => {
      const entity = await em.findOneOrFail(ApiClientEntity, { clientId: input.clientId }, { populate: ['agency'] });
      const agency = input.agencyCode ? await em.findOne(AgencyEntity, { code: input.agencyCode }) : null;
      em.assign(entity, {
        name: input.name,
        kind: input.kind,
        agency,
        scopes,
        grantTypes,
        ...(secretHash ? { secretHash } : {}),
        isDemo: input.isDemo ?? false,
        ...(input.redirectUris ? { redirectUris: [...new Set(input.redirectUris)] } : {}),
        ...(input.identityClientId !== undefined ? { identityClientId: input.identityClientId } : {}),
        status: 'ACTIVE',
        updatedAt: this.clock.now(),
      });
      return view(entity);
    });
  }

  async rotateSecret(clientId: string): Promise<string> {
    const secret = generateSecret();
    const secretHash = await hashSecret(secret);
    await this.update(clientId, (entity) => {
      if (!entity.grantTypes.includes('client_secret')) entity.grantTypes = [...entity.grantTypes, 'client_secret'];
      entity.secretHash = secretHash;
    });
    return secret;
  }

  async setActive(clientId: string, active: boolean): Promise<void> {
    await this.update(clientId, (entity) => {
      entity.status = active ? 'ACTIVE' : 'DISABLED';
    });
  }

  private async update(clientId: string, change: (entity: ApiClientEntity) => void): Promise<void> {
    await this.uow.run(async (em) => {
      const entity = await em.findOne(ApiClientEntity, { clientId });
      if (!entity) throw new NotFoundError(`There is no client "${clientId}".`, { reason: 'CLIENT.NOT_FOUND' });
      change(entity);
      entity.updatedAt = this.clock.now();
    });
  }

  async find(clientId: string): Promise<RegisteredClient | undefined> {
    const entity = await this.uow.reader().findOne(ApiClientEntity, { clientId }, { populate: ['agency'] });
    return entity ? view(entity) : undefined;
  }

  async list(): Promise<RegisteredClient[]> {
    const entities = await this.uow.reader().find(ApiClientEntity, {}, { populate: ['agency'], orderBy: { clientId: 'asc' } });
    return entities.map(view);
  }

  /** Checks a client secret; the same error whether the client is unknown, disabled or the secret wrong. */
  async authenticateWithSecret(clientId: string, secret: string): Promise<RegisteredClient> {
    const entity = await this.uow.reader().findOne(ApiClientEntity, { clientId }, { populate: ['agency'] });
    // Always pay for one hash check, so the answer's timing does not tell which client ids exist.
    const verified = await verifySecret(secret, entity?.secretHash ?? (await dummyHash()));
    const ok = verified && entity?.secretHash && entity.status === 'ACTIVE' && entity.grantTypes.includes('client_secret');
    if (!entity || !ok) throw new UnauthenticatedError('Unknown client or wrong secret.', { reason: 'AUTH.INVALID_CLIENT' });
    return view(entity);
  }
}
