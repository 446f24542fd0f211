import type { RegistrySource } from '../../domain/catalogue/procedure-definition';
import type { Clock } from '../../domain/clock';
import type { DeadlineRules } from '../../domain/ports/deadline-rules.port';
import type { HubOrm } from '../orm';
import { UnitOfWork } from '../unit-of-work';
import { CatalogueService } from './catalogue.service';
import { ClientRegistry } from './client-registry.service';
import { StatisticsService } from './statistics.service';
import { DossierService } from './dossier.service';

export interface StoreServices {
  catalogue: CatalogueService;
  dossiers: DossierService;
  clients: ClientRegistry;
  statistics: StatisticsService;
}

/** The use-case services over one store; the unit of work lets the relay listen for commits. */
export interface ServiceSettings {
  deadlines: DeadlineRules;
  /** Registries the hub can read to satisfy papers (once-only). */
  availableRegistries: ReadonlySet<RegistrySource>;
}

export function createServices(orm: HubOrm, clock: Clock, settings: ServiceSettings): { services: StoreServices; uow: UnitOfWork } {
  const uow = new UnitOfWork(orm);
  const catalogue = new CatalogueService(uow);
  return {
    uow,
    services: {
      catalogue,
      dossiers: new DossierService(uow, catalogue, clock, settings.deadlines, { availableRegistries: settings.availableRegistries }),
      clients: new ClientRegistry(uow),
      statistics: new StatisticsService(uow, clock),
    },
  };
}
