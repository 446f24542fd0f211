import type { HeldDossierScope } from '../domain/access/access-policy';
import type { DossierView } from './dossier-view';

/**
 * Which agencies and client a dossier involves, and which agency holds it now: what the access
 * policy decides on. Needs `receivingAgency` and `currentAgency` loaded.
 */
export function scopeOf(entity: DossierView): HeldDossierScope {
  const holder = entity.currentAgency ?? entity.receivingAgency;
  return {
    receivingAgencyCode: entity.receivingAgency.code,
    handlingAgencyCodes: [...(entity.involvedAgencyCodes ?? [])],
    submittedByClientId: entity.submittedByClientId ?? null,
    holder: { code: holder.code, name: holder.name },
  };
}
