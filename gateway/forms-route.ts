import express, { type RequestHandler, type Response, type Router } from 'express';
import type { PopulationRegistryClient } from '../connectors/population/population-registry.client';
import { authorize } from '../domain/access/access-policy';
import { InvalidInputError, NotFoundError } from '../domain/errors';
import type { DeadlineRules } from '../domain/ports/deadline-rules.port';
import { fromVietnamLocal } from '../domain/time/vietnam-time';
import { renderForm } from '../forms/render-form';
import { isFormId, type FormDataById, type FormId } from '../forms/form-data';
import type { Logger } from '../platform/logger';
import type { HubServices } from '../schema/context';
import { scopeOf } from '../store/dossier-scope';
import type { AgencyEntity } from '../store/entities/agency.entity';
import type { DossierEntity } from '../store/entities/dossier.entity';
import {
  apologyData,
  controlSheetData,
  receiptData,
  refusalData,
  registerData,
  supplementRequestData,
  type DossierRecord,
} from './form-documents';
import { handleHubErrors, sendPrivateFile } from './http-errors';

export interface FormRoutesOptions {
  services: HubServices;
  population: PopulationRegistryClient;
  deadlines: DeadlineRules;
  /** Authentication and rate limits, as on /graphql. */
  guards: RequestHandler[];
  logger: Logger;
}

const FORM_NAMES: Record<FormId, string> = {
  '01': 'receipt and appointment',
  '02': 'supplement request',
  '03': 'refusal',
  '04': 'apology and new date',
  '05': 'processing control sheet',
  '06': 'register',
};

/**
 * The printable forms (Circular 01/2018/TT-VPCP, forms 01-06) as PDF downloads:
 * `GET /dossiers/{code}/forms/{01-05}.pdf` and `GET /agencies/{code}/register.pdf?from=&to=`.
 * The forms name the applicant, so they need what the applicant's data needs: the agency handling
 * the dossier; each download is written to the processing log.
 */
export function formRoutes(options: FormRoutesOptions): Router {
  const router = express.Router();
  const { services } = options;

  async function applicantOf(dossier: DossierEntity): Promise<{ name: string; address?: string }> {
    if (dossier.applicantKind === 'BUSINESS') return { name: `Doanh nghiệp mã số ${dossier.applicantId}` };
    const [citizen] = await options.population.lookup([dossier.applicantId]);
    if (!citizen || citizen instanceof Error) return { name: `Công dân số định danh ${dossier.applicantId}` };
    return { name: citizen.fullName, address: citizen.permanentResidence.fullAddress };
  }

  async function provinceOf(agency: AgencyEntity): Promise<AgencyEntity | null> {
    let current: AgencyEntity | null = agency;
    for (let depth = 0; current && depth < 5; depth += 1) {
      if (current.level === 'province' && current.adminUnitCode?.length === 2 && !current.parentCode) return current;
      current = current.parentCode ? await services.catalogue.agency(current.parentCode).catch(() => null) : null;
    }
    return null;
  }

  const sendPdf = (res: Response, name: string, pdf: Buffer) =>
    sendPrivateFile(res, { type: 'application/pdf', disposition: `inline; filename="${name}.pdf"`, body: pdf });

  router.get(
    '/dossiers/:code/forms/:file',
    ...options.guards,
    handleHubErrors(async (req, res) => {
      const form = String(req.params.file).replace(/\.pdf$/, '');
      if (!isFormId(form) || form === '06') {
        throw new InvalidInputError(
          'Forms of a dossier are 01 to 05 (…/forms/01.pdf); the register (06) is /agencies/{code}/register.pdf.',
          { reason: 'FORM.UNKNOWN' },
        );
      }
      const dossier = await services.dossiers.findByCode(String(req.params.code));
      const scope = scopeOf(dossier);
      authorize(req.principal, { action: 'dossier.read', dossier: scope });
      authorize(req.principal, { action: 'personal-data.read', basis: { kind: 'dossier', dossier: scope } });
      const [steps, timeline, papers, applicant, province] = await Promise.all([
        services.dossiers.steps(dossier),
        services.dossiers.timeline(dossier),
        services.dossiers.components(dossier),
        applicantOf(dossier),
        provinceOf(dossier.receivingAgency),
      ]);
      const record: DossierRecord = { dossier, steps, timeline, papers, applicant, province };
      const builders: { [F in Exclude<FormId, '06'>]: () => FormDataById[F] | undefined } = {
        '01': () => (dossier.dueAt ? receiptData(record) : undefined),
        '02': () => supplementRequestData(record),
        '03': () => refusalData(record),
        '04': () => apologyData(record),
        '05': () => controlSheetData(record, options.deadlines),
      };
      const data = builders[form]();
      if (!data) {
        throw new NotFoundError(
          `Dossier ${dossier.code} has no ${FORM_NAMES[form]} (form ${form}): nothing in its history calls for one.`,
          { reason: 'FORM.NOT_ISSUED' },
        );
      }
      await services.audit.append([
        {
          actor: req.principal.kind === 'PUBLIC' ? 'public' : req.principal.clientId,
          action: 'personal-data.read',
          subject: services.audit.subjectRef(dossier.applicantId),
          basis: `dossier:${dossier.code}`,
          requestId: req.requestId,
          details: { fields: [`form-${form}`] },
        },
      ]);
      sendPdf(res, `${dossier.code}-mau-${form}`, await renderForm(form, data as FormDataById[typeof form], { clock: services.clock }));
    }),
  );

  router.get(
    '/agencies/:code/register.pdf',
    ...options.guards,
    handleHubErrors(async (req, res) => {
      const agency = await services.catalogue.agency(String(req.params.code));
      // The register names every applicant: the receiving agency itself, with personal-data:read.
      authorize(req.principal, { action: 'register.read', agencyCode: agency.code });
      const day = (value: unknown, field: string) => {
        const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
        if (!match) throw new InvalidInputError(`"${field}" must be a date YYYY-MM-DD.`, { reason: 'FORM.INVALID_PERIOD' });
        return fromVietnamLocal(Number(match[1]), Number(match[2]), Number(match[3]));
      };
      const from = day(req.query.from, 'from');
      const to = new Date(day(req.query.to, 'to').getTime() + 24 * 3600_000);
      if (to <= from || to.getTime() - from.getTime() > 366 * 24 * 3600_000) {
        throw new InvalidInputError('The period runs from "from" to "to" (included), at most a year.', { reason: 'FORM.INVALID_PERIOD' });
      }
      const page = await services.dossiers.list({ agencyCode: agency.code, receivedFrom: from, receivedTo: to }, 2000);
      const dossiers = page.items.filter((d) => d.receivingAgency.code === agency.code).reverse();
      const citizens = dossiers.filter((d) => d.applicantKind === 'CITIZEN').map((d) => d.applicantId);
      const looked = citizens.length ? await options.population.lookup(citizens) : [];
      const byId = new Map(citizens.map((id, i) => [id, looked[i]]));
      const rows = dossiers.map((dossier) => {
        const citizen = byId.get(dossier.applicantId);
        const applicant =
          citizen && !(citizen instanceof Error)
            ? { name: citizen.fullName, address: citizen.permanentResidence.fullAddress }
            : {
                name:
                  dossier.applicantKind === 'BUSINESS'
                    ? `Doanh nghiệp mã số ${dossier.applicantId}`
                    : `Công dân số định danh ${dossier.applicantId}`,
              };
        return { dossier, applicant };
      });
      await services.audit.append(
        dossiers.map((dossier) => ({
          actor: req.principal.kind === 'PUBLIC' ? 'public' : req.principal.clientId,
          action: 'personal-data.read',
          subject: services.audit.subjectRef(dossier.applicantId),
          basis: `dossier:${dossier.code}`,
          requestId: req.requestId,
          details: { fields: ['form-06'] },
        })),
      );
      const province = await provinceOf(agency);
      sendPdf(
        res,
        `${agency.code}-so-theo-doi`,
        await renderForm('06', registerData(agency, province, { from, to: new Date(to.getTime() - 1) }, rows), { clock: services.clock }),
      );
    }),
  );
  return router;
}
