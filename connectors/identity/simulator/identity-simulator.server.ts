import { generateKeyPairSync, randomBytes } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response } from 'express';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { createLogger, type Logger } from '../../../platform/logger';
import { createPopulation, generateCitizen, type Population } from '../../population/simulator/citizen-generator';
import {
  baseStats,
  createSimulatorApp,
  createSimulatorControls,
  listenSimulator,
  useFallbackHandlers,
  type BaseSimulatorStats,
  type SimulatorFaults,
} from '../../simulator-kit';
import {
  DEFAULT_HUB_CLIENT_ID,
  DEFAULT_HUB_CLIENT_SECRET,
  DEFAULT_ID_TOKEN_TTL_SECONDS,
  DEFAULT_IDENTITY_POPULATION_SIZE,
  DEFAULT_IDENTITY_PORT,
  DEFAULT_IDENTITY_SEED,
  LISTED_USERS,
  TEST_PASSWORD,
  acrOfLevel,
  accountLevelOf,
  type RegisteredClient,
} from './identity-simulator.defaults';
import { escapeHtml, renderLoginPage } from './login-page';

export {
  DEFAULT_HUB_CLIENT_ID,
  DEFAULT_HUB_CLIENT_SECRET,
  DEFAULT_ID_TOKEN_TTL_SECONDS,
  DEFAULT_IDENTITY_POPULATION_SIZE,
  DEFAULT_IDENTITY_PORT,
  DEFAULT_IDENTITY_SEED,
  TEST_PASSWORD,
  acrOfLevel,
  accountLevelOf,
  type RegisteredClient,
};

export interface IdentitySimulatorStats extends BaseSimulatorStats {
  loginsSucceeded: number;
  loginsRefused: number;
}

export interface IdentitySimulatorOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 4105 */
  port?: number;
  /** The issuer URL when it differs from http://host:port (behind a proxy). */
  issuer?: string;
  /** Seed of the population whose people are the test users (the population simulator's). */
  seed?: number;
  populationSize?: number;
  clients?: RegisteredClient[];
  idTokenTtlSeconds?: number;
  faults?: Partial<SimulatorFaults>;
  random?: () => number;
  logger?: Logger;
}

export interface RunningIdentitySimulator {
  url: string;
  port: number;
  issuer: string;
  population: Population;
  close(): Promise<void>;
}

function emptyStats(): IdentitySimulatorStats {
  return { loginsSucceeded: 0, loginsRefused: 0, ...baseStats() };
}

/**
 * Starts the national identity simulator: an OpenID Provider (`oidc-provider`) with the
 * authorization code flow and PKCE (S256 only), ID tokens naming the personal id, name, birth
 * date and level of assurance, a server-rendered login page, and the kit's `/_sim` routes.
 * Signing keys are made at start: tokens of an earlier run are no longer valid.
 */
export async function startIdentitySimulator(options: IdentitySimulatorOptions = {}): Promise<RunningIdentitySimulator> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? DEFAULT_IDENTITY_SEED;
  const population = createPopulation(seed, options.populationSize ?? DEFAULT_IDENTITY_POPULATION_SIZE);
  const logger = options.logger ?? createLogger({ name: 'identity-simulator' });
  const clients = options.clients ?? [
    { clientId: DEFAULT_HUB_CLIENT_ID, clientSecret: DEFAULT_HUB_CLIENT_SECRET, redirectUris: ['http://127.0.0.1:4000/auth/callback'] },
  ];
  if (clients.some((c) => !c.clientId || !c.clientSecret || c.redirectUris.length === 0)) {
    throw new RangeError('Every client needs an id, a secret and at least one redirect URI.');
  }
  const idTokenTtl = options.idTokenTtlSeconds ?? DEFAULT_ID_TOKEN_TTL_SECONDS;

  const controls = createSimulatorControls({
    faults: options.faults,
    emptyStats,
    random: options.random ?? Math.random,
    logger,
    renderer: {
      outage: (res) => res.status(503).json({ error: 'temporarily_unavailable', error_description: 'Simulated outage.' }),
      error: (res) => res.status(500).json({ error: 'server_error', error_description: 'Simulated error.' }),
      malformed: (res) => res.status(200).type('application/json').send('{"issuer":'),
    },
    rejectInvalid: (res, detail) => res.status(400).json({ error: 'invalid_request', error_description: detail }),
  });
  const { stats, admin } = controls;

  const app = createSimulatorApp(logger, (req) => ({ path: req.path.startsWith('/interaction/') ? '/interaction/:uid' : req.path }));
  const injectFaults: RequestHandler = (req, res, next) => {
    if (req.path.startsWith('/_sim') || req.path === '/healthz') return next();
    controls.injectFaults(res, next);
  };

  // The port is known only once listening: listen first, then mount the provider under its issuer.
  const { url, port, close } = await listenSimulator(app, options.port ?? DEFAULT_IDENTITY_PORT, host);
  const issuer = options.issuer ?? url;

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };

  const configuration: Configuration = {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: [jwk as never] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    pkce: { required: () => true, methods: ['S256'] },
    scopes: ['openid', 'profile'],
    // The ID token keeps a claim only when a granted scope names it: acr and auth_time go with openid.
    claims: { acr: null, auth_time: null, sid: null, openid: ['sub', 'acr', 'auth_time'], profile: ['name', 'birthdate'] },
    responseTypes: ['code'],
    // The ID token carries name and birth date itself: relying parties read them from it.
    conformIdTokenClaims: false,
    acrValues: [acrOfLevel(1), acrOfLevel(2), acrOfLevel(3)],
    features: { devInteractions: { enabled: false }, userinfo: { enabled: true } },
    ttl: { IdToken: idTokenTtl, AccessToken: 600, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600 },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, id) => {
      const citizen = population.get(id);
      if (!citizen) return undefined;
      return {
        accountId: id,
        claims: () => ({ sub: id, name: citizen.fullName, birthdate: citizen.dateOfBirth }),
      };
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="vi"><meta charset="utf-8"><title>Lỗi / Error</title><h1>Lỗi đăng nhập / Sign-in error</h1><pre>${escapeHtml(JSON.stringify(out))}</pre></html>`;
    },
  };
  const provider = new Provider(issuer, configuration);
  provider.proxy = true;

  const listed = Array.from({ length: Math.min(LISTED_USERS, population.size) }, (_, index) => {
    const citizen = generateCitizen(seed, index);
    return { personalId: citizen.personalId, name: citizen.fullName, level: accountLevelOf(index) };
  });

  const form = express.urlencoded({ extended: false, limit: '10kb' });
  app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
  app.use(injectFaults);
  app.get('/interaction/:uid', async (req: Request, res: Response, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'consent') {
        await finishConsent(req, res, details.session?.accountId ?? '', String(details.params.client_id), String(details.params.scope));
        return;
      }
      res.type('html').send(renderLoginPage({ uid: String(req.params.uid), users: listed }));
    } catch (error) {
      next(error);
    }
  });
  app.post('/interaction/:uid/login', form, async (req: Request, res: Response, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      // The typed id and the picked one share a name: take whichever was given.
      const personalId =
        [req.body?.personalId ?? '']
          .flat()
          .map((value) => String(value).trim())
          .find((value) => value !== '') ?? '';
      const index = population.indexOf(personalId);
      if (index === undefined || String(req.body?.password ?? '') !== TEST_PASSWORD) {
        stats.current.loginsRefused++;
        res
          .status(401)
          .type('html')
          .send(renderLoginPage({ uid: String(req.params.uid), users: listed, error: true }));
        return;
      }
      stats.current.loginsSucceeded++;
      const grant = new provider.Grant({ accountId: personalId, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: personalId, acr: acrOfLevel(accountLevelOf(index)) }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      next(error);
    }
  });

  async function finishConsent(req: Request, res: Response, accountId: string, clientId: string, scope: string): Promise<void> {
    // Public-service sign-in asks no consent of its own: the hub's consent page does that.
    const grant = new provider.Grant({ accountId, clientId });
    grant.addOIDCScope(scope);
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  }

  app.use('/_sim', admin);
  app.use(provider.callback());
  useFallbackHandlers(app, logger, (res, _req, failure) =>
    res
      .status(failure.status)
      .json({ error: failure.kind === 'INTERNAL' ? 'server_error' : 'invalid_request', error_description: failure.detail }),
  );
  logger.info({ url, issuer, clients: clients.map((c) => c.clientId) }, 'identity simulator listening');
  return { url, port, issuer, population, close };
}
