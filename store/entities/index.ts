import { AgencyEntity } from './agency.entity';
import { ApiClientEntity } from './api-client.entity';
import { ConsumedEventEntity } from './consumed-event.entity';
import { DossierEntity } from './dossier.entity';
import { OutboxEventEntity } from './outbox-event.entity';
import { ProcedureEntity } from './procedure.entity';

export { AgencyEntity, ApiClientEntity, ConsumedEventEntity, DossierEntity, OutboxEventEntity, ProcedureEntity };

/** Every entity, listed explicitly: no folder scanning, the same in tests, builds and bundles. */
export const ENTITIES = [AgencyEntity, ProcedureEntity, DossierEntity, OutboxEventEntity, ConsumedEventEntity, ApiClientEntity];
