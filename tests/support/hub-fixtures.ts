import type { ProcedureDefinition } from '../../domain/catalogue/procedure-definition';
import type { StoreServices } from '../../store/services';
import type { DossierEntity } from '../../store/entities/dossier.entity';
import type { ReceiveDossierCommand } from '../../store/services/dossier.service';
import { createHash } from 'node:crypto';
import type { SubmittedComponent } from '../../domain/reception/completeness';
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

/**
 * Every paper a procedure requires, handed in (shown, or a scanned file), registry-backed ones too:
 * tests of the lifecycle do not depend on what the registries hold for a made-up applicant.
 */
export function allRequiredPapers(definition: ProcedureDefinition): SubmittedComponent[] {
  return definition.components
    .filter((c) => c.required)
    .map((c) =>
      c.kind === 'present'
        ? { requirementCode: c.code, presented: true }
        : { requirementCode: c.code, file: { name: `${c.code}.pdf`, sha256: createHash('sha256').update(c.name).digest('hex') } },
    );
}

/** Receives a dossier with every paper its procedure requires; fails the test if it is not received. */
export async function receiveComplete(services: StoreServices, command: Omit<ReceiveDossierCommand, 'components'>): Promise<DossierEntity> {
  const definition = (await services.catalogue.procedure(command.procedureCode)).definition as unknown as ProcedureDefinition;
  const outcome = await services.dossiers.receive({ ...command, components: allRequiredPapers(definition) });
  if (outcome.kind !== 'received') throw new Error(`not received: ${JSON.stringify(outcome.missing.map((m) => m.requirement.code))}`);
  return outcome.dossier;
}

/** The papers of a procedure as GraphQL PaperInput values (a demo file or "shown" for every required paper). */
export function paperInputs(definition: ProcedureDefinition) {
  return allRequiredPapers(definition).map((p) => ({
    requirementCode: p.requirementCode,
    fileName: p.file?.name,
    fileSha256: p.file?.sha256,
    presented: p.presented,
  }));
}

/**
 * Gives each agency a system of its own (client id from `clientOf`, the demo secret), as agencies
 * would have, so a test acts as whichever agency holds a dossier.
 */
export async function registerAgencySystems(
  services: StoreServices,
  agencies: readonly { code: string; name: string }[],
  clientOf: (agencyCode: string) => string,
  secret: string,
): Promise<void> {
  for (const agency of agencies) {
    await services.clients.ensure({
      clientId: clientOf(agency.code),
      name: `Test system of ${agency.name}`,
      kind: 'AGENCY_SYSTEM',
      agencyCode: agency.code,
      secret,
    });
  }
}

/**
 * Registers a consent purpose for a portal the way operators do (`hub consent-purposes register`),
 * rules checked: a prefill purpose covers only attributes its declaration's fields read.
 */
export async function registerConsentPurpose(
  services: Pick<StoreServices, 'consentPurposes'>,
  clientId: string,
  purpose: string,
  attributes: readonly string[],
): Promise<void> {
  await services.consentPurposes.register(clientId, {
    purpose,
    attributes,
    descriptionVi: `Mục đích thử nghiệm ${purpose}`,
    descriptionEn: `Test purpose ${purpose}`,
  });
}
