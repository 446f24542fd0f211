import { createHash, createHmac } from 'node:crypto';
import type { Checkpoint, CheckpointSigner, ProcessingLogKeys } from '../domain/audit/processing-log-chain';
import { UNKEYED_SCHEME } from '../domain/audit/processing-log-chain';
import { deriveKey } from './key-derivation';
import type { TokenKeyRing } from './token-key-ring';

/** The keyed scheme: HMAC-SHA256 under the `audit-chain` key, version 1. */
export const KEYED_SCHEME = 'hmac-sha256:v1';

/** Pseudonyms by version: `ps1:` under the `pseudonym` key; `hmac:` the first ones, under HUB_SECRET itself. */
const PSEUDONYM_PREFIX = 'ps1:';
const FIRST_PSEUDONYM_PREFIX = 'hmac:';

const hmacHex = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest('hex');

/**
 * The processing log's keys from HUB_SECRET: the chain key (someone with the database but not the
 * secret cannot compute a link) and the pseudonym key, each its own HKDF key.
 */
export class HubProcessingLogKeys implements ProcessingLogKeys {
  readonly current = KEYED_SCHEME;
  private readonly chainKey: Buffer;
  private readonly pseudonymKey: Buffer;

  constructor(private readonly hubSecret: string) {
    this.chainKey = deriveKey(hubSecret, 'audit-chain');
    this.pseudonymKey = deriveKey(hubSecret, 'pseudonym');
  }

  link(scheme: string, input: string): string | undefined {
    if (scheme === KEYED_SCHEME) return hmacHex(this.chainKey, input);
    if (scheme === UNKEYED_SCHEME) return createHash('sha256').update(input).digest('hex');
    return undefined;
  }

  pseudonym(personalId: string): string {
    return `${PSEUDONYM_PREFIX}${hmacHex(this.pseudonymKey, personalId).slice(0, 32)}`;
  }

  pseudonyms(personalId: string): string[] {
    // The first scheme keyed pseudonyms with the secret itself; computed only to find old entries.
    return [this.pseudonym(personalId), `${FIRST_PSEUDONYM_PREFIX}${hmacHex(this.hubSecret, personalId).slice(0, 32)}`];
  }
}

/** The JWS `typ` of a checkpoint: never accepted as an access token (`at+jwt`), nor a token as one. */
export const CHECKPOINT_TYP = 'audit-checkpoint+jwt';

/** Checkpoints signed with the hub's token key (ES256), checkable against /.well-known/jwks.json. */
export class TokenKeyCheckpointSigner implements CheckpointSigner {
  constructor(private readonly ring: TokenKeyRing) {}

  async sign(checkpoint: Checkpoint): Promise<string> {
    return (
      await this.ring.signStatement(CHECKPOINT_TYP, {
        sub: 'processing-log',
        count: checkpoint.count,
        head: checkpoint.head,
        last_id: checkpoint.lastId,
        at: checkpoint.at,
      })
    ).jws;
  }

  async verify(signed: string): Promise<Checkpoint | undefined> {
    const claims = await this.ring.verifyStatement(CHECKPOINT_TYP, signed);
    if (!claims || claims.sub !== 'processing-log') return undefined;
    const { count, head, last_id: lastId, at } = claims as Record<string, unknown>;
    if (typeof count !== 'number' || typeof head !== 'string' || typeof lastId !== 'string' || typeof at !== 'string') return undefined;
    return { count, head, lastId, at };
  }
}
