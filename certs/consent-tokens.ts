import type { ConsentClaims, ConsentRecord, SubjectSealer } from '../domain/consent/consent';
import { SecretBox } from './secret-box';
import type { TokenKeyRing } from './token-key-ring';

/**
 * The JWS `typ` of a consent artefact: an access token (`at+jwt`) or a processing-log checkpoint
 * never passes as a consent, nor a consent as either.
 */
export const CONSENT_TYP = 'consent+jwt';

/**
 * Consent artefacts signed with the hub's token key (ES256, checkable against /.well-known/jwks.json):
 * `jti` the consent id, `sub` the citizen's pseudonym (never the personal id), `azp`/`client_id` the
 * client it is bound to, `exp` its not-after, `data_life` how long the portal may keep the data.
 */
export class ConsentTokens {
  constructor(private readonly ring: TokenKeyRing) {}

  async sign(record: ConsentRecord): Promise<string> {
    return (
      await this.ring.signStatement(CONSENT_TYP, {
        jti: record.id,
        sub: record.subjectPseudonym,
        azp: record.clientId,
        client_id: record.clientId,
        attributes: [...record.attributes],
        purpose: record.purpose,
        procedure: record.procedureCode,
        exp: Math.floor(record.notAfter.getTime() / 1000),
        data_life: record.dataLifeSeconds,
      })
    ).jws;
  }

  /**
   * The claims of a consent token the hub signed, or undefined (other key, `alg: none`, altered,
   * another `typ`). An expired one still returns its claims: the stored record answers EXPIRED.
   */
  async verify(token: string): Promise<ConsentClaims | undefined> {
    const claims = await this.ring.verifyStatement(CONSENT_TYP, token, { allowExpired: true });
    if (!claims) return undefined;
    const { jti, sub, azp, client_id: clientId, attributes, purpose, procedure, exp } = claims as Record<string, unknown>;
    if (
      typeof jti !== 'string' ||
      typeof sub !== 'string' ||
      typeof clientId !== 'string' ||
      azp !== clientId ||
      !Array.isArray(attributes) ||
      !attributes.every((a) => typeof a === 'string') ||
      typeof purpose !== 'string' ||
      typeof procedure !== 'string' ||
      typeof exp !== 'number'
    ) {
      return undefined;
    }
    return {
      consentId: jti,
      subjectPseudonym: sub,
      clientId,
      attributes: attributes as string[],
      purpose,
      procedureCode: procedure,
      notAfter: new Date(exp * 1000),
    };
  }
}

/**
 * Seals the citizen's personal id in the consent record (AES-256-GCM under its own HKDF key), so the
 * hub can read the registries for a prefill while a database dump alone never names the person.
 */
export class ConsentSubjectBox implements SubjectSealer {
  private readonly box: SecretBox;

  constructor(hubSecret: string) {
    this.box = new SecretBox(hubSecret, 'consent-subject');
  }

  seal(personalId: string): string {
    return this.box.seal(personalId);
  }

  open(sealed: string): string {
    return this.box.open(sealed);
  }
}

/**
 * Seals what a citizen session and a sign-in in progress keep (the personal id, the name, the PKCE
 * verifier) under a key of their own: a database dump alone neither names the citizen nor resumes a sign-in.
 */
export class CitizenSessionBox implements SubjectSealer {
  private readonly box: SecretBox;

  constructor(hubSecret: string) {
    this.box = new SecretBox(hubSecret, 'citizen-session');
  }

  seal(value: string): string {
    return this.box.seal(value);
  }

  open(sealed: string): string {
    return this.box.open(sealed);
  }
}
