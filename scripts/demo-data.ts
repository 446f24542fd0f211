import { readFileSync } from 'node:fs';
import type { DossierAction } from '../domain/dossier/dossier-lifecycle';
import { generateCitizen } from '../connectors/population/simulator/citizen-generator';
import { fromProjectRoot } from '../platform/paths';
import type { StoreServices } from '../store/services';
import type { AgencyRecord, CatalogueProcedureRecord } from '../store/services/catalogue.service';
import type { NewClient } from '../store/services/client-registry.service';
import type { ReceptionChannel } from '../store/entities/dossier.entity';

/** Demo desks in Huế (province 46) and two of its wards (2025 commune codes). Codes follow the agency e-identifier pattern. */
export const DEMO_AGENCIES: AgencyRecord[] = [
  { code: '000.00.00.H46', name: 'Ủy ban nhân dân Thành phố Huế', level: 'province', adminUnitCode: '46' },
  { code: '000.00.12.H46', name: 'Sở Tài chính Thành phố Huế', level: 'province', parentCode: '000.00.00.H46', adminUnitCode: '46' },
  {
    code: '000.00.15.H46',
    name: 'Sở Nông nghiệp và Môi trường Thành phố Huế',
    level: 'province',
    parentCode: '000.00.00.H46',
    adminUnitCode: '46',
  },
  { code: '000.19.31.H46', name: 'Ủy ban nhân dân Phường Phú Xuân', level: 'commune', parentCode: '000.00.00.H46', adminUnitCode: '19753' },
  { code: '000.20.31.H46', name: 'Ủy ban nhân dân Phường Kim Long', level: 'commune', parentCode: '000.00.00.H46', adminUnitCode: '19774' },
];

export function loadReferenceProcedures(): CatalogueProcedureRecord[] {
  return JSON.parse(readFileSync(fromProjectRoot('reference/procedures.json'), 'utf8')) as CatalogueProcedureRecord[];
}

interface DemoDossier {
  procedureCode: string;
  agencyCode: string;
  channel: ReceptionChannel;
  /** Index of the applicant in the population simulator, or an enterprise code. */
  applicant: number | string;
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
  { procedureCode: '2.001583', agencyCode: '000.00.12.H46', channel: 'ONLINE', applicant: '0100109106', actions: ['FORWARD'] },
  { procedureCode: '1.000656', agencyCode: '000.20.31.H46', channel: 'DESK', applicant: 5, actions: ['WITHDRAW'] },
];

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

export interface DemoSummary {
  procedures: number;
  agencies: number;
  dossierCodes: string[];
  clients: { clientId: string; kind: string; agencyCode: string | null; scopes: string[] }[];
}

/** Seeds the demo catalogue and dossiers; running it again changes nothing (idempotency keys). */
export async function seedDemoData(services: StoreServices, simulatorSeed: number, demoClientSecret: string): Promise<DemoSummary> {
  const procedures = await services.catalogue.importProcedures(loadReferenceProcedures());
  const agencies = await services.catalogue.importAgencies(DEMO_AGENCIES);
  const clients = [];
  for (const client of DEMO_CLIENTS) clients.push(await services.clients.ensure({ ...client, secret: demoClientSecret }));
  const dossierCodes: string[] = [];
  for (const [index, demo] of DEMO_DOSSIERS.entries()) {
    const applicantId = typeof demo.applicant === 'number' ? generateCitizen(simulatorSeed, demo.applicant).personalId : demo.applicant;
    const dossier = await services.dossiers.receive({
      procedureCode: demo.procedureCode,
      agencyCode: demo.agencyCode,
      channel: demo.channel,
      applicantId,
      idempotencyKey: `demo-seed-${String(index + 1).padStart(4, '0')}`,
    });
    // Only a freshly received dossier is moved along; a re-run finds it already past RECEIVED.
    if (dossier.status === 'RECEIVED' && dossier.version === 1) {
      for (const action of demo.actions) await services.dossiers.act(dossier.code, action);
    }
    dossierCodes.push(dossier.code);
  }
  return {
    procedures,
    agencies,
    dossierCodes,
    clients: clients.map((c) => ({ clientId: c.clientId, kind: c.kind, agencyCode: c.agencyCode, scopes: c.scopes })),
  };
}
