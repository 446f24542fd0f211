import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseAgencies, parseProcedureDefinitions } from '../domain/catalogue/catalogue-validation';
import type { ProcedureDefinition } from '../domain/catalogue/procedure-definition';
import type { SubmittedComponent } from '../domain/reception/completeness';
import type { DossierAction } from '../domain/dossier/dossier-lifecycle';
import { agencySystem } from '../domain/access/principal';
import { WHO_ACTS, type DossierAct } from '../domain/access/dossier-acts';
import { generateCitizen } from '../connectors/population/simulator/citizen-generator';
import { generateEnterpriseCode } from '../connectors/business/simulator/business-generator';
import { DEFAULT_BUSINESS_COUNT, DEFAULT_POPULATION_SIZE, generateParcel } from '../connectors/land/simulator/land-generator';
import type { LandParcelId } from '../domain/identifiers/land-parcel-id';
import { PREFILL_CALLBACK_PATH } from '../connectors/portal/simulator/prefill-demo';
import { fromProjectRoot } from '../platform/paths';
import type { StoreServices } from '../store/services';
import type { AgencyRecord } from '../store/services/catalogue.service';
import type { NewClient } from '../store/services/client-registry.service';
import type { ReceptionChannel } from '../store/entities/dossier.entity';

/** The shipped agencies of the demo province Huế (46): desks, police, social insurance, land and business offices. */
export const DEMO_AGENCIES: AgencyRecord[] = parseAgencies(
  JSON.parse(readFileSync(fromProjectRoot('reference/catalogue/agencies.json'), 'utf8')),
);

/** The shipped catalogue (reference/catalogue/procedures.json), validated. */
export function loadReferenceProcedures(): ProcedureDefinition[] {
  return parseProcedureDefinitions(JSON.parse(readFileSync(fromProjectRoot('reference/catalogue/procedures.json'), 'utf8')));
}

interface DemoDossier {
  procedureCode: string;
  agencyCode: string;
  channel: ReceptionChannel;
  /**
   * Index of the applicant in the population simulator, of an enterprise in the business simulator,
   * or the citizen holding the first parcel from this index of the land simulator (the dossier names that parcel).
   */
  applicant: number | { enterprise: number } | { landHolder: number };
  actions: DossierAction[];
}

const DEMO_DOSSIERS: DemoDossier[] = [
  { procedureCode: '1.001193', agencyCode: '000.19.31.H46', channel: 'DESK', applicant: 0, actions: [] },
  { procedureCode: '1.004222', agencyCode: '000.19.31.H46', channel: 'ONLINE', applicant: 1, actions: ['FORWARD'] },
  { procedureCode: '1.004873', agencyCode: '000.20.31.H46', channel: 'DESK', applicant: 2, actions: ['FORWARD', 'REQUEST_SUPPLEMENT'] },
  { procedureCode: '1.013978', agencyCode: '000.20.31.H46', channel: 'POST', applicant: 3, actions: ['FORWARD', 'RECORD_RESULT'] },
  {
    procedureCode: '1.004194',
    agencyCode: '000.19.31.H46',
    channel: 'ONLINE',
    applicant: 4,
    actions: ['FORWARD', 'RECORD_RESULT', 'RETURN_RESULT'],
  },
  { procedureCode: '2.001583', agencyCode: '000.00.12.H46', channel: 'ONLINE', applicant: { enterprise: 0 }, actions: ['FORWARD'] },
  { procedureCode: '1.000656', agencyCode: '000.20.31.H46', channel: 'DESK', applicant: 5, actions: ['WITHDRAW'] },
  // Registration of a change in land use rights: Dossier.landParcel reads the land registry.
  { procedureCode: '1.013831', agencyCode: '000.19.31.H46', channel: 'DESK', applicant: { landHolder: 0 }, actions: [] },
];

/** The first parcel from `from` on that a citizen holds in the land simulator with these settings, and that citizen. */
function demoLandHolding(seed: number, populationSize: number, from: number): { holder: string; parcel: LandParcelId } {
  for (let index = from; ; index += 1) {
    const parcel = generateParcel({ seed, populationSize, businessCount: DEFAULT_BUSINESS_COUNT }, index);
    const holder = parcel.owners.find((owner) => owner.ownerKind === 'CITIZEN');
    if (holder) {
      return {
        holder: holder.ownerId,
        parcel: { communeCode: parcel.communeCode, mapSheetNumber: parcel.mapSheetNumber, parcelNumber: parcel.parcelNumber },
      };
    }
  }
}

function demoApplicant(applicant: DemoDossier['applicant'], seed: number, populationSize: number) {
  if (typeof applicant === 'number') return { applicantId: generateCitizen(seed, applicant).personalId };
  if ('enterprise' in applicant) return { applicantId: generateEnterpriseCode(seed, applicant.enterprise) };
  const { holder, parcel } = demoLandHolding(seed, populationSize, applicant.landHolder);
  return { applicantId: holder, landParcel: parcel };
}

/** The demo's lifecycle actions as the access table names them. */
const DEMO_ACTS: Partial<Record<DossierAction, DossierAct>> = {
  FORWARD: 'forward',
  REQUEST_SUPPLEMENT: 'requestSupplement',
  RECORD_RESULT: 'recordResult',
  RETURN_RESULT: 'returnResult',
  WITHDRAW: 'withdraw',
};

/** The demo API clients of the public contract (docs/API.md); their secret is DEMO_CLIENT_SECRET. */
export const DEMO_CLIENTS: Omit<NewClient, 'secret'>[] = [
  { clientId: 'demo-portal', name: 'Demo public-service portal', kind: 'PORTAL', isDemo: true },
  {
    clientId: 'demo-district',
    name: 'Demo one-stop system of Phú Xuân ward',
    kind: 'AGENCY_SYSTEM',
    agencyCode: '000.19.31.H46',
    isDemo: true,
  },
  { clientId: 'demo-officer', name: 'Demo officer desk of Kim Long ward', kind: 'OFFICER_APP', agencyCode: '000.20.31.H46', isDemo: true },
  { clientId: 'demo-monitor', name: 'Demo Government monitoring centre', kind: 'MONITOR', isDemo: true },
];

/** The demo portal asks consent for the default purpose of every prefill procedure. */
export const DEMO_CONSENT_PORTAL = 'demo-portal';

/**
 * The demo portal's redirect URIs: the prefill demo's callback of the portal simulator, when the
 * hub starts it (a real portal at PORTAL_URL has no such page). None for an address the client
 * registry would refuse (plain http off the loopback), so that such a setup still starts.
 */
export function demoPortalRedirectUris(config: { PORTAL_URL: string; START_SIMULATORS: boolean }): string[] | undefined {
  if (!config.START_SIMULATORS) return undefined;
  const portal = new URL(config.PORTAL_URL);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(portal.hostname);
  if (portal.protocol !== 'https:' && !loopback) return undefined;
  return [`${portal.origin}${PREFILL_CALLBACK_PATH}`];
}

export interface DemoSummary {
  procedures: number;
  agencies: number;
  dossierCodes: string[];
  /** The purposes the demo portal may ask citizens' consent for. */
  consentPurposes: string[];
  clients: { clientId: string; kind: string; agencyCode: string | null; scopes: string[]; redirectUris: string[] }[];
}

/** A scanned file for every required paper that no registry supplies (demo hashes, not real files). */
export function demoPapers(definition: ProcedureDefinition): SubmittedComponent[] {
  return definition.components.filter((c) => c.required && !c.registrySource).map(demoPaper);
}

/** A paper as the desk hands it in: shown, or a scanned file. */
function demoPaper(c: ProcedureDefinition['components'][number]): SubmittedComponent {
  return c.kind === 'present'
    ? { requirementCode: c.code, presented: true }
    : { requirementCode: c.code, file: { name: `${c.code}.pdf`, sha256: createHash('sha256').update(c.name).digest('hex') } };
}

async function applyDemoAction(
  services: StoreServices,
  code: string,
  agencyCode: string,
  definition: ProcedureDefinition,
  action: DossierAction,
): Promise<void> {
  // The seed acts as the system of the agency the table of who acts names: the desk, or the holder.
  const dossier = await services.dossiers.findByCode(code);
  const holder = dossier.currentAgency?.code ?? agencyCode;
  const act = DEMO_ACTS[action];
  if (!act) throw new Error(`no demo for ${action}`);
  const byHolder = WHO_ACTS[act].includes('holder');
  const options = { actor: 'demo-seed', as: agencySystem(byHolder ? holder : agencyCode, 'demo-seed') };
  switch (action) {
    case 'FORWARD':
      // To the agency competent for the next step, as the hub routes it.
      await services.dossiers.forward(code, undefined, options);
      return;
    case 'REQUEST_SUPPLEMENT':
      await services.dossiers.requestSupplement(
        code,
        [{ requirementCode: definition.components[0]!.code, reason: 'Bản chụp không rõ nét, đề nghị nộp lại.' }],
        options,
      );
      return;
    case 'RECORD_RESULT':
      await services.dossiers.recordResult(code, { summary: 'Đã giải quyết, kết quả sẵn sàng trả.' }, options);
      return;
    case 'RETURN_RESULT':
      await services.dossiers.returnResult(code, { channel: 'DESK', feesPaidVnd: 0 }, options);
      return;
    case 'WITHDRAW':
      await services.dossiers.withdraw(code, options);
      return;
    default:
      throw new Error(`no demo for ${action}`);
  }
}

/**
 * Seeds the demo catalogue and dossiers; running it again changes nothing (idempotency keys). The
 * applicants are the simulators' records for this seed and population size.
 */
export async function seedDemoData(
  services: StoreServices,
  simulatorSeed: number,
  demoClientSecret: string,
  {
    populationSize = DEFAULT_POPULATION_SIZE,
    demoPortalRedirectUris,
  }: {
    populationSize?: number;
    /** The demo portal's redirect URIs for the consent flow (the portal simulator's prefill demo); replaced on every run. */
    demoPortalRedirectUris?: string[];
  } = {},
): Promise<DemoSummary> {
  const procedures = await services.catalogue.importProcedures(loadReferenceProcedures());
  const agencies = await services.catalogue.importAgencies(DEMO_AGENCIES);
  const clients = [];
  for (const client of DEMO_CLIENTS) {
    const redirectUris = client.clientId === DEMO_CONSENT_PORTAL ? demoPortalRedirectUris : undefined;
    clients.push(await services.clients.ensure({ ...client, secret: demoClientSecret, ...(redirectUris ? { redirectUris } : {}) }));
  }
  // Reset to the defaults on every start, as the demo clients are: unchanged ones are left alone.
  const consentPurposes = await services.consentPurposes.registerDefaultPrefill(DEMO_CONSENT_PORTAL);
  const dossierCodes: string[] = [];
  for (const [index, demo] of DEMO_DOSSIERS.entries()) {
    const applicant = demoApplicant(demo.applicant, simulatorSeed, populationSize);
    const definition = (await services.catalogue.procedure(demo.procedureCode)).definition as unknown as ProcedureDefinition;
    const receive = (components: SubmittedComponent[]) =>
      services.dossiers.receive({
        procedureCode: demo.procedureCode,
        agencyCode: demo.agencyCode,
        channel: demo.channel,
        ...applicant,
        components,
        idempotencyKey: `demo-seed-${String(index + 1).padStart(4, '0')}`,
        clientId: 'demo-seed',
        actor: 'demo-seed',
      });
    const papers = demoPapers(definition);
    let outcome = await receive(papers);
    // A registry that does not confirm a paper's fact: the desk takes the paper instead, as at a real desk.
    if (outcome.kind === 'incomplete' && outcome.missing.every((m) => m.requirement.registrySource))
      outcome = await receive([...papers, ...outcome.missing.map((m) => demoPaper(m.requirement))]);
    if (outcome.kind !== 'received')
      throw new Error(`demo dossier ${index + 1} is incomplete: check the catalogue of ${demo.procedureCode}`);
    const dossier = outcome.dossier;
    // Only a freshly received dossier is moved along; a re-run finds it already past RECEIVED.
    if (dossier.status === 'RECEIVED' && dossier.version === 1) {
      for (const action of demo.actions) await applyDemoAction(services, dossier.code, demo.agencyCode, definition, action);
    }
    dossierCodes.push(dossier.code);
  }
  return {
    procedures,
    agencies,
    dossierCodes,
    consentPurposes: consentPurposes.map((p) => p.purpose.purpose),
    clients: clients.map((c) => ({
      clientId: c.clientId,
      kind: c.kind,
      agencyCode: c.agencyCode,
      scopes: c.scopes,
      redirectUris: c.redirectUris,
    })),
  };
}
