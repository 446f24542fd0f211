import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TokenKeyRing } from '../certs/token-key-ring';
import { CLIENT_KINDS, SCOPES, type ClientKind, type Scope } from '../domain/access/principal';
import { InvalidInputError } from '../domain/errors';
import type { HubConfig } from '../platform/config';
import { HubProcessingLogKeys, TokenKeyCheckpointSigner } from '../certs/processing-log-keys';
import { AuditCheckpoints, checkpointFileFor } from '../store/audit-checkpoints';
import { AuditLog } from '../store/audit-log';
import { UnitOfWork } from '../store/unit-of-work';
import type { Store } from '../store/database';
import type { StoreServices } from '../store/services';
import type { GrantType } from '../store/entities/api-client.entity';
import { SigningKeyRepository } from '../store/signing-key.repository';
import { TrustedDocuments } from '../store/trusted-documents';

export const ADMIN_HELP = `  clients list
  clients create --id ID --name NAME --kind KIND [--agency CODE] [--scopes a,b] [--jwk FILE] [--trusted-documents] [--mtls]
                 [--redirect-uri URL]... [--identity-client-id ID]
                   Register an API client (KIND: ${CLIENT_KINDS.join(', ')}; scopes: ${SCOPES.join(', ')}).
                   Prints its secret once; --jwk registers a public key for private-key JWT instead;
                   --mtls also requires its client certificate (hub pki issue --profile tls-client --cn ID).
                   A portal's --redirect-uri (repeatable) is where the consent flow returns the citizen
                   (exact match); --identity-client-id is the portal's own client id at the national
                   identity provider, whose ID tokens grantConsent then accepts. (register = create.)
  clients show ID  One client, with its redirect URIs and identity client id.
  clients rotate ID  New secret for a client (the old one stops working).
  clients disable ID | clients enable ID
  keys list | keys rotate | keys retire KID
                   Token signing keys (the JWKS); retire a key only after its tokens expired.
  documents add FILE.graphql | documents list
                   Trusted documents: register each operation of a file; list the registered ones.
  audit verify | audit checkpoint
                   Check the processing log (keyed chain, append-only, against the signed checkpoints);
                   sign a checkpoint now. See: hub audit --help.`;

export const AUDIT_HELP = `Usage: npm run hub -- audit <command>

The personal-data processing log (docs/SECURITY.md, sec-5a).

Commands:
  verify           Walk the whole log: every entry's MAC under the chain key (derived from HUB_SECRET),
                   its position and the link to the one before, then the log's end against every signed
                   checkpoint in AUDIT_CHECKPOINT_FILE. Names the first entry that does not fit (edited,
                   deleted, reordered) or the tail missing since a checkpoint; exits 1 when the log fails.
  checkpoint       Sign the log's head (entry count, last link, time) with the hub's token key now,
                   append it to AUDIT_CHECKPOINT_FILE and publish it as an audit.checkpoint event.

Options:
  -h, --help       Show this help.`;

export interface AdminContext {
  config: HubConfig;
  store: Store;
  services: StoreServices;
  print(line: string): void;
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new InvalidInputError(`--${name} is required (see --help).`);
  return value;
}

export async function runAdminCommand(group: string, argv: string[], ctx: AdminContext): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      id: { type: 'string' },
      name: { type: 'string' },
      kind: { type: 'string' },
      agency: { type: 'string' },
      scopes: { type: 'string' },
      jwk: { type: 'string' },
      'trusted-documents': { type: 'boolean' },
      mtls: { type: 'boolean' },
      'redirect-uri': { type: 'string', multiple: true },
      'identity-client-id': { type: 'string' },
    },
  });
  const [action, target] = positionals;
  const keys = () =>
    new TokenKeyRing(new SigningKeyRepository(ctx.store.orm), ctx.config.HUB_SECRET, {
      issuer: ctx.config.TOKEN_ISSUER,
      audience: ctx.config.TOKEN_AUDIENCE,
      ttlSeconds: ctx.config.ACCESS_TOKEN_TTL_SECONDS,
    });
  const auditCheckpoints = () =>
    new AuditCheckpoints(
      new AuditLog(ctx.store.orm, new HubProcessingLogKeys(ctx.config.HUB_SECRET)),
      new TokenKeyCheckpointSigner(keys()),
      checkpointFileFor(ctx.config),
      new UnitOfWork(ctx.store.orm),
    );
  switch (`${group} ${action ?? ''}`.trim()) {
    case 'clients list':
      for (const c of await ctx.services.clients.list()) {
        ctx.print(
          `${c.clientId.padEnd(20)} ${c.kind.padEnd(13)} ${(c.agencyCode ?? '-').padEnd(14)} ${c.active ? 'active  ' : 'disabled'} ${c.isDemo ? 'demo ' : ''}${c.scopes.join(' ')}${c.redirectUris.length ? ` redirect: ${c.redirectUris.join(' ')}` : ''}${c.identityClientId ? ` identity client: ${c.identityClientId}` : ''}`,
        );
      }
      return;
    case 'clients show': {
      const id = required(target, 'client id');
      const c = await ctx.services.clients.find(id);
      if (!c) throw new InvalidInputError(`There is no client "${id}".`, { reason: 'CLIENT.NOT_FOUND' });
      ctx.print(`client id:          ${c.clientId}`);
      ctx.print(`name:               ${c.name}`);
      ctx.print(`kind:               ${c.kind}${c.agencyCode ? ` (agency ${c.agencyCode})` : ''}`);
      ctx.print(`status:             ${c.active ? 'active' : 'disabled'}${c.isDemo ? ', demo' : ''}`);
      ctx.print(`scopes:             ${c.scopes.join(' ')}`);
      ctx.print(`authentication:     ${c.grantTypes.join(', ')}${c.tlsCertificateRequired ? ', mTLS' : ''}`);
      ctx.print(`redirect URIs:      ${c.redirectUris.length ? c.redirectUris.join(' ') : '-'}`);
      ctx.print(`identity client id: ${c.identityClientId ?? '-'}`);
      return;
    }
    case 'clients register':
    case 'clients create': {
      const publicJwk = values.jwk ? (JSON.parse(readFileSync(values.jwk, 'utf8')) as Record<string, unknown>) : undefined;
      const grantTypes: GrantType[] = publicJwk ? ['private_key_jwt'] : ['client_secret'];
      const { client, secret } = await ctx.services.clients.create({
        clientId: required(values.id, 'id'),
        name: required(values.name, 'name'),
        kind: required(values.kind, 'kind') as ClientKind,
        agencyCode: values.agency,
        scopes: values.scopes ? (values.scopes.split(',').map((s) => s.trim()) as Scope[]) : undefined,
        grantTypes,
        publicJwk,
        trustedDocumentsOnly: values['trusted-documents'] ?? false,
        tlsCertificateRequired: values.mtls ?? false,
        redirectUris: values['redirect-uri'] ?? [],
        identityClientId: values['identity-client-id'] ?? null,
      });
      ctx.print(
        `created ${client.clientId} (${client.kind}${client.agencyCode ? `, agency ${client.agencyCode}` : ''}) scopes: ${client.scopes.join(' ')}`,
      );
      for (const uri of client.redirectUris) ctx.print(`redirect URI: ${uri}`);
      if (client.identityClientId) ctx.print(`identity client id: ${client.identityClientId}`);
      if (secret) ctx.print(`secret (shown once, store it now): ${secret}`);
      return;
    }
    case 'clients rotate':
      ctx.print(`new secret for ${required(target, 'client id')} (shown once): ${await ctx.services.clients.rotateSecret(target!)}`);
      return;
    case 'clients disable':
    case 'clients enable':
      await ctx.services.clients.setActive(required(target, 'client id'), action === 'enable');
      ctx.print(`${target} ${action}d; tokens already issued stop working within seconds`);
      return;
    case 'keys list':
      for (const k of (await keys().jwks()).keys) ctx.print(`${k.kid} ${k.alg}`);
      return;
    case 'keys rotate':
      ctx.print(`new signing key ${await keys().rotate()} is active; earlier keys still verify until retired`);
      return;
    case 'keys retire':
      await keys().retire(required(target, 'key id'));
      ctx.print(`key ${target} retired`);
      return;
    case 'documents add':
      for (const d of await new TrustedDocuments(ctx.store.orm).add(readFileSync(required(target, 'file'), 'utf8'))) {
        ctx.print(`${d.documentId} ${d.operationName ?? '(anonymous)'}`);
      }
      return;
    case 'documents list':
      for (const d of await new TrustedDocuments(ctx.store.orm).list()) ctx.print(`${d.documentId} ${d.operationName ?? '(anonymous)'}`);
      return;
    case 'audit verify': {
      const checkpoints = auditCheckpoints();
      const result = await checkpoints.verify();
      if (!result.ok)
        throw new InvalidInputError(
          `processing log FAILED${result.problem.entryId ? ` at entry ${result.problem.entryId}` : ''}: ${result.problem.message}`,
          { reason: `AUDIT.${result.problem.kind.toUpperCase().replace(/-/g, '_')}`, details: { ...result.problem } },
        );
      ctx.print(
        `processing log intact: ${result.entries} entries, keyed from entry ${result.keyedFrom ?? '-'}, ${result.checkpoints} checkpoints held (${checkpoints.location})`,
      );
      if (result.checkpoints === 0) ctx.print('no checkpoint yet: entries deleted from the end cannot be told (run: hub audit checkpoint)');
      return;
    }
    case 'audit checkpoint': {
      const written = await auditCheckpoints().write();
      ctx.print(`checkpoint signed: ${written.count} entries, head ${written.head} (entry ${written.lastId}) at ${written.at}`);
      return;
    }
    default:
      throw new InvalidInputError(`unknown command "${group} ${action ?? ''}". Run with --help to see the commands.`);
  }
}
