import type { DossierScope } from '../domain/access/access-policy';
import type { DossierEntity } from './entities/dossier.entity';

/** Which agencies and client a dossier involves: what the access policy decides on. */
export function scopeOf(entity: DossierEntity): DossierScope {
  return {
    receivingAgencyCode: entity.receivingAgency.code,
    handlingAgencyCodes: [...(entity.involvedAgencyCodes ?? [])],
    submittedByClientId: entity.submittedByClientId ?? null,
  };
}
