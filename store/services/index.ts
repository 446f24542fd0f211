import type { Clock } from '../../domain/clock';
import type { DeadlineRules } from '../../domain/ports/deadline-rules.port';
import type { HubOrm } from '../orm';
import { UnitOfWork } from '../unit-of-work';
import { CatalogueService } from './catalogue.service';
import { ClientRegistry } from './client-registry.service';
import { StatisticsService } from './statistics.service';
import { DossierService } from './dossier.service';
import { DocumentVault } from './document-vault.service';
import type { DocumentSigner } from '../../domain/ports/document-signer.port';
import { ConfigurationError } from '../../domain/errors';
import type { VaultSettings } from './signed-documents';
import type { DocumentStorage } from '../../domain/ports/document-storage.port';
import { documentTypeCatalogue } from '../../platform/document-types';
import type { RegistryConfirmationPort } from '../../domain/ports/registry-confirmation.port';
import type { HeldDocumentReader } from './held-documents';
import { ConsentPurposeRegistry } from './consent-purposes.service';
import { shippedPrefillFields } from '../../platform/prefill-fields';

export interface StoreServices {
  catalogue: CatalogueService;
  dossiers: DossierService;
  clients: ClientRegistry;
  statistics: StatisticsService;
  documents: DocumentVault;
  /** The purposes each portal may ask citizens for consent for. */
  consentPurposes: ConsentPurposeRegistry;
}

/** The use-case services over one store; the unit of work lets the relay listen for commits. */
export interface ServiceSettings {
  deadlines: DeadlineRules;
  /** Asks the registries for the facts registry-backed papers rely on (once-only); without it such papers must be handed in. */
  registryConfirmation?: RegistryConfirmationPort | undefined;
  /** The held documents reception decides with (the vault). */
  heldDocuments?: HeldDocumentReader | undefined;
  /** Signs documents for agencies (the PKI); commands that sign nothing run without it. */
  documentSigner?: DocumentSigner;
  /** Where the vault keeps document files. */
  documentStorage: DocumentStorage;
  /**
   * The hottest reads are prepared once per connection (a PostgreSQL server: one backend per
   * connection). Off for the embedded store, whose connections share one backend, where a name
   * prepared by a closed connection would still be taken. @default false
   */
  namedStatements?: boolean;
}

const noSigner = () =>
  Promise.reject(new ConfigurationError('This process has no signing service: documents are signed by a running hub.'));
const NO_SIGNER: DocumentSigner = { signDigest: noSigner, signResult: noSigner };

export function createServices(orm: HubOrm, clock: Clock, settings: ServiceSettings): { services: StoreServices; uow: UnitOfWork } {
  const uow = new UnitOfWork(orm, { namedStatements: settings.namedStatements ?? false });
  const catalogue = new CatalogueService(uow, clock);
  // The vault knows the catalogue's document types: the ones papers and results are named in.
  const vault: VaultSettings = { storage: settings.documentStorage, documentTypes: documentTypeCatalogue(catalogue.documentTypes()) };
  const dossiers = new DossierService(uow, catalogue, clock, settings.deadlines, {
    registryConfirmation: settings.registryConfirmation,
    heldDocuments: settings.heldDocuments,
    documentSigner: settings.documentSigner,
    vault,
  });
  return {
    uow,
    services: {
      catalogue,
      dossiers,
      clients: new ClientRegistry(uow, clock),
      statistics: new StatisticsService(uow, clock),
      documents: new DocumentVault(uow, catalogue, dossiers, settings.documentSigner ?? NO_SIGNER, clock, vault),
      // The shipped field lists, and the names of the procedures as the store's catalogue holds them.
      consentPurposes: new ConsentPurposeRegistry(uow, clock, shippedPrefillFields, async (code) => (await catalogue.procedure(code)).name),
    },
  };
}
