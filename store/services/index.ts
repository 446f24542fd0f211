import type { Clock } from '../../domain/clock';
import type { HubOrm } from '../orm';
import { UnitOfWork } from '../unit-of-work';
import { CatalogueService } from './catalogue.service';
import { ClientRegistry } from './client-registry.service';
import { DossierService } from './dossier.service';

export interface StoreServices {
  catalogue: CatalogueService;
  dossiers: DossierService;
  clients: ClientRegistry;
}

/** The use-case services over one store; the unit of work lets the relay listen for commits. */
export function createServices(orm: HubOrm, clock: Clock): { services: StoreServices; uow: UnitOfWork } {
  const uow = new UnitOfWork(orm);
  const catalogue = new CatalogueService(uow);
  return { uow, services: { catalogue, dossiers: new DossierService(uow, catalogue, clock), clients: new ClientRegistry(uow) } };
}
