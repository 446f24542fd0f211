import { ForbiddenError } from '../domain/errors';
import { scopeOf } from '../store/dossier-scope';
import type { DossierEntity } from '../store/entities/dossier.entity';
import type { HubContext } from './context';

export interface BasisArguments {
  dossierCode?: string | null | undefined;
  consentToken?: string | null | undefined;
}

/**
 * The legal basis for a registry read about a person or their land, named by the caller: a dossier
 * their agency received or handles that is about this person or parcel, or the citizen's consent.
 * Returns the dossier; throws FORBIDDEN or CONSENT_REQUIRED otherwise.
 */
export async function requireDossierBasis(
  context: HubContext,
  args: BasisArguments,
  about: { matches(dossier: DossierEntity): boolean; what: string },
): Promise<DossierEntity> {
  if (args.consentToken !== null && args.consentToken !== undefined) {
    // Consent records arrive with the consent feature; until then no token is valid.
    context.authorize({ action: 'personal-data.read', basis: { kind: 'consent', consentValid: false } });
  }
  if (!args.dossierCode) {
    context.authorize({ action: 'personal-data.read', basis: { kind: 'none' } });
    throw new ForbiddenError('Name the dossier that is the legal basis for this read (dossierCode).', {
      reason: 'PERSONAL_DATA.NO_LEGAL_BASIS',
    });
  }
  const dossier = await context.services.dossiers.findByCode(args.dossierCode);
  context.authorize({ action: 'personal-data.read', basis: { kind: 'dossier', dossier: scopeOf(dossier) } });
  if (!about.matches(dossier)) {
    throw new ForbiddenError(`Dossier ${dossier.code} is not about ${about.what}, so it is no legal basis to see its data.`, {
      reason: 'PERSONAL_DATA.BASIS_MISMATCH',
    });
  }
  return dossier;
}
