import type { StoreServices } from '../../store/services';
import { DEMO_AGENCIES, loadReferenceProcedures } from '../../scripts/demo-data';

/** The reference catalogue and demo agencies, loaded through the real services. */
export async function loadCatalogue(services: StoreServices): Promise<void> {
  await services.catalogue.importProcedures(loadReferenceProcedures());
  await services.catalogue.importAgencies(DEMO_AGENCIES);
}

export const DESK = DEMO_AGENCIES.find((agency) => agency.level === 'commune')!.code;
export const BIRTH_REGISTRATION = '1.001193';
/** A valid enterprise code (check digit 6). */
export const ENTERPRISE = '0100109106';
