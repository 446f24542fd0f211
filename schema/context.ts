import type { Clock } from '../domain/clock';
import type { ConsentService } from '../store/services/consent.service';
import type { IdentityVerifier } from '../domain/ports/identity-verifier.port';
import type DataLoader from 'dataloader';
import type { SignatureVerifier } from '../domain/ports/document-signer.port';
import type { LandParcelId } from '../domain/identifiers/land-parcel-id';
import { authorize, type AccessRequest } from '../domain/access/access-policy';
import type { Principal } from '../domain/access/principal';
import type { Logger } from '../platform/logger';
import type { AuditEntry, AuditLog } from '../store/audit-log';
import type { StoreServices } from '../store/services';

/** Services the resolvers call; built once per process. */
export interface HubServices extends StoreServices {
  audit: AuditLog;
  /** Checks signatures against the hub's trust anchors and CRLs. */
  verifier: SignatureVerifier;
  /** Consent records: granted, revoked, presented as the basis of a read. */
  consents: ConsentService;
  /** The hub's one clock (registry retrieval times). */
  clock: Clock;
  /** The national identity provider: verifies a citizen's ID token. */
  identity: IdentityVerifier;
}

/** Request-scoped state shared by every resolver of one GraphQL request. */
export interface HubContext {
  requestId: string;
  logger: Logger;
  services: HubServices;
  principal: Principal;
  /** Asks the access policy; throws UNAUTHENTICATED / FORBIDDEN / CONSENT_REQUIRED when denied. */
  authorize(request: AccessRequest): void;
  /** Records personal-data processing; written to the audit log when the response is sent. */
  recordProcessing(entry: Omit<AuditEntry, 'actor' | 'requestId'>): void;
  /** What recordProcessing collected in this request. */
  processing: AuditEntry[];
  /**
   * Starts writing an entry now, alongside the read it records (a read that waits on a registry
   * need not wait on the log too). The answer is still released only once it is written, and it is
   * withheld when the write fails, as for recordProcessing; the promise is the same write.
   */
  recordProcessingNow(entry: Omit<AuditEntry, 'actor' | 'requestId'>): Promise<void>;
  /** The writes recordProcessingNow started in this request. */
  processingWrites: Promise<void>[];
  /** Per-request loaders (batching and de-duplication of registry look-ups). */
  loaders: {
    citizens: DataLoader<string, Record<string, unknown>>;
    enterprises: DataLoader<string, Record<string, unknown>>;
    /** Enterprises by the personal id of their legal representative. */
    enterprisesByRepresentative: DataLoader<string, Record<string, unknown>[]>;
    /** Households by id, with their members. */
    households: DataLoader<string, Record<string, unknown>>;
    /** Land parcels by id (the registry has no batch form: one call per distinct parcel). */
    landParcels: DataLoader<LandParcelId, Record<string, unknown>, string>;
    /** Land parcels by the personal id or enterprise code of an owner. */
    parcelsByOwner: DataLoader<string, Record<string, unknown>[]>;
    /**
     * The cached registries' loaders for reads under a consent: no registry answer the hub cached
     * longer ago than the consent's data life (0: always from the registry). One set per data life.
     */
    underConsent(dataLifeSeconds: number): {
      citizens: DataLoader<string, Record<string, unknown>>;
      landParcels: DataLoader<LandParcelId, Record<string, unknown>, string>;
    };
    /** When the hub read a record a loader returned from its registry (a cached record: its first read). */
    retrievedAt(record: object): Date | undefined;
  };
}

/** Builds the per-request context pieces that depend only on the caller. */
export function accessFor(
  principal: Principal,
  requestId: string,
  audit: Pick<AuditLog, 'append'>,
): Pick<HubContext, 'principal' | 'authorize' | 'processing' | 'recordProcessing' | 'recordProcessingNow' | 'processingWrites'> {
  const processing: AuditEntry[] = [];
  const processingWrites: Promise<void>[] = [];
  const attributed = (entry: Omit<AuditEntry, 'actor' | 'requestId'>): AuditEntry => ({
    ...entry,
    actor: principal.kind === 'PUBLIC' ? 'public' : principal.clientId,
    requestId,
  });
  return {
    principal,
    processing,
    processingWrites,
    authorize: (request) => authorize(principal, request),
    recordProcessing: (entry) => processing.push(attributed(entry)),
    recordProcessingNow: (entry) => {
      const written = audit.append([attributed(entry)]);
      // Awaited before the answer is sent; until then a failure must not count as unhandled.
      written.catch(() => undefined);
      processingWrites.push(written);
      return written;
    },
  };
}
