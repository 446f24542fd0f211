import type { RegistrySource } from '../catalogue/procedure-definition';
import type { LandParcelId } from '../identifiers/land-parcel-id';

/**
 * Asks a national registry whether it holds the fact a paper proves, so the applicant need not bring
 * the paper (once-only). Asked before reception opens its transaction: no database transaction is
 * ever held across an upstream call.
 */
export interface RegistryConfirmationRequest {
  /** The paper this confirmation is for (its requirement code): answers come back in the same order. */
  requirementCode: string;
  registry: RegistrySource;
  /** What the paper proves, as the registry names it (population: `currentResidence`, ...; see reception/registry-facts.ts). */
  attribute: string;
  /** 12-digit personal id or enterprise code of the applicant. */
  applicantId: string;
  /** The land parcel the dossier is about (the land registry confirms the applicant holds it). */
  landParcel?: LandParcelId | undefined;
}

export type RegistryConfirmation =
  /** The registry holds the fact; `lastUpdatedAt` is when it last changed there (null when the registry does not say). */
  | { outcome: 'CONFIRMED'; attribute: string; lastUpdatedAt: Date | null }
  /** The registry answered and does not hold it (unknown person, not the holder, enterprise not active, ...). */
  | { outcome: 'NOT_IN_REGISTRY'; detail?: string | undefined }
  /** The registry did not answer in time, or is not configured: the desk takes the paper instead. */
  | { outcome: 'REGISTRY_UNAVAILABLE' };

export interface RegistryConfirmationPort {
  confirm(requests: readonly RegistryConfirmationRequest[]): Promise<RegistryConfirmation[]>;
  /**
   * Whether this registry is asked at all (configured for confirmation). One that is not is never
   * called: its papers are REGISTRY_UNAVAILABLE and, no personal data being read, nothing is logged.
   * Absent: every registry is asked.
   */
  confirms?(registry: RegistrySource): boolean;
}
