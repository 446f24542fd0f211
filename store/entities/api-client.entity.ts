import { Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { ClientKind, Scope } from '../../domain/access/principal';
import { AgencyEntity } from './agency.entity';

export type GrantType = 'client_secret' | 'private_key_jwt';

/** A registered API client: another government system, an officer front end, a portal, the monitoring centre. */
@Entity({ tableName: 'api_client' })
export class ApiClientEntity {
  [OptionalProps]?:
    | 'status'
    | 'isDemo'
    | 'trustedDocumentsOnly'
    | 'tlsCertificateRequired'
    | 'secretHash'
    | 'publicJwk'
    | 'agency'
    | 'redirectUris'
    | 'identityClientId';

  @PrimaryKey({ type: 'text' })
  clientId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Enum({ items: ['AGENCY_SYSTEM', 'OFFICER_APP', 'PORTAL', 'MONITOR'] })
  kind!: ClientKind;

  @ManyToOne(() => AgencyEntity, { fieldName: 'agency_code', nullable: true })
  agency?: AgencyEntity | null;

  @Property({ type: 'text[]' })
  scopes!: Scope[];

  @Property({ type: 'text[]' })
  grantTypes!: GrantType[];

  /** scrypt hash of the secret (`scrypt$N$r$p$salt$hash`); never the secret itself. */
  @Property({ type: 'text', nullable: true })
  secretHash?: string | null;

  /** Public key for private-key JWT authentication (RFC 7523). */
  @Property({ type: 'jsonb', nullable: true })
  publicJwk?: Record<string, unknown> | null;

  /** Accept only registered operations (trusted documents) from this client. */
  @Property({ type: 'boolean', default: false })
  trustedDocumentsOnly: boolean = false;

  /** mTLS: calls count only over a TLS connection with a certificate from the hub's CA whose CN is this client id. */
  @Property({ type: 'boolean', default: false })
  tlsCertificateRequired: boolean = false;

  /** Consent flow (portals): where the hub may send the citizen's browser back, compared as exact strings. */
  @Property({ type: 'text[]', default: '{}' })
  redirectUris: string[] = [];

  /** The portal's own client id at the national identity provider: its citizens' ID tokens name it as audience. */
  @Property({ type: 'text', nullable: true })
  identityClientId?: string | null;

  /** Demo clients are refused whenever the hub runs in production. */
  @Property({ type: 'boolean', default: false })
  isDemo: boolean = false;

  @Enum({ items: ['ACTIVE', 'DISABLED'], default: 'ACTIVE' })
  status: 'ACTIVE' | 'DISABLED' = 'ACTIVE';

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  // Both set by the registry service from the hub's clock.
  createdAt!: Date;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt!: Date;
}
