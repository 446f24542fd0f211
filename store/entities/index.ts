import { AgencyEntity } from './agency.entity';
import { ApiClientEntity } from './api-client.entity';
import { ConsumedEventEntity } from './consumed-event.entity';
import { DossierEntity } from './dossier.entity';
import { DossierActivityEntity, DossierComponentEntity, DossierStepEntity } from './dossier-parts.entity';
import { OutboxEventEntity } from './outbox-event.entity';
import { ProcedureEntity } from './procedure.entity';

export {
  AgencyEntity,
  ApiClientEntity,
  ConsumedEventEntity,
  DossierActivityEntity,
  DossierComponentEntity,
  DossierStepEntity,
  DossierEntity,
  OutboxEventEntity,
  ProcedureEntity,
};

/** Every entity, listed explicitly: no folder scanning, the same in tests, builds and bundles. */
export const ENTITIES = [
  AgencyEntity,
  ProcedureEntity,
  DossierEntity,
  OutboxEventEntity,
  ConsumedEventEntity,
  ApiClientEntity,
  DossierComponentEntity,
  DossierStepEntity,
  DossierActivityEntity,
];
