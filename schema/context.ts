import type DataLoader from 'dataloader';
import type { Logger } from '../platform/logger';
import type { StoreServices } from '../store/services';

/** Services the resolvers call; built once per process. */
export type HubServices = StoreServices;

/** Request-scoped state shared by every resolver of one GraphQL request. */
export interface HubContext {
  requestId: string;
  logger: Logger;
  services: HubServices;
  /** Per-request loaders (batching and de-duplication of registry look-ups). */
  loaders: {
    citizens: DataLoader<string, Record<string, unknown>>;
  };
}
