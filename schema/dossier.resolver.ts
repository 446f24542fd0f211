import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireClient } from '../domain/access/access-policy';
import { InvalidInputError } from '../domain/errors';
import type { HubContext } from './context';
import { scopeOf } from '../store/dossier-scope';
import { toDossier, toDossierStatusView } from './dossier.mapper';
import { decodeCursor, PAGE_SIZE, toConnection } from './types/connection.type';
import { Dossier, DossierConnection, DossierStatusView } from './types/dossier.type';
import { DossierFilterInput, ReceiveDossierInput, type PaperInput } from './types/dossier.input';
import {
  DossierActivity,
  DossierIncomplete,
  DossierPaper,
  DossierReceived,
  MissedReusePaper,
  ProcessingStep,
  ReceptionOutcome,
} from './types/process.type';
import type { RegistryRead } from '../store/services/dossier.service';
import type { SubmittedComponent } from '../domain/reception/completeness';
import type { DossierStepEntity } from '../store/entities/dossier-parts.entity';

export function pageSize(first: number | null | undefined): number {
  const size = first ?? PAGE_SIZE.default;
  if (!Number.isInteger(size) || size < 1 || size > PAGE_SIZE.max) {
    throw new InvalidInputError(`"first" must be between 1 and ${PAGE_SIZE.max}, got ${size}.`, { reason: 'PAGINATION.INVALID_FIRST' });
  }
  return size;
}

export function requireCursor(after: string | null | undefined): string | undefined {
  if (after === null || after === undefined) return undefined;
  const key = decodeCursor(after);
  if (key === undefined)
    throw new InvalidInputError('The "after" cursor is not one this service issued.', { reason: 'PAGINATION.INVALID_CURSOR' });
  return key;
}

@Resolver(() => Dossier)
export class DossierResolver {
  @Query(() => Dossier, {
    description: 'A dossier with its status and dates (agencies involved in it, the portal that submitted it, the monitoring centre).',
  })
  async dossier(@Arg('code', () => String) code: string, @Ctx() context: HubContext): Promise<Dossier> {
    requireClient(context.principal);
    const entity = await context.services.dossiers.viewByCode(code);
    context.authorize({ action: 'dossier.read', dossier: scopeOf(entity) });
    return toDossier(entity, context.services.dossiers.isOverdue(entity));
  }

  @FieldResolver(() => String, {
    description: '12-digit personal id or enterprise code of the applicant (personal data: needs a legal basis).',
  })
  applicantId(@Root() dossier: Dossier, @Ctx() context: HubContext): string {
    // An enterprise code is published registration data; only a person's id is personal data.
    if (dossier.applicantKind === 'BUSINESS') return dossier.applicantId;
    context.authorize({ action: 'personal-data.read', basis: { kind: 'dossier', dossier: dossier.scope } });
    context.recordProcessing({
      action: 'personal-data.read',
      subject: context.services.audit.subjectRef(dossier.applicantId),
      basis: `dossier:${dossier.code}`,
      details: { fields: ['Dossier.applicantId'] },
    });
    return dossier.applicantId;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: '10-digit enterprise code of a business applicant (published registration data); null when the applicant is a citizen.',
  })
  applicantEnterpriseCode(@Root() dossier: Dossier): string | null {
    return dossier.applicantKind === 'BUSINESS' ? dossier.applicantId.slice(0, 10) : null;
  }

  @Query(() => DossierConnection, { description: 'Dossiers, newest first, filtered and paginated (Relay connection).' })
  async dossiers(
    @Ctx() context: HubContext,
    @Arg('filter', () => DossierFilterInput, { nullable: true }) filter?: DossierFilterInput | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<DossierConnection> {
    const { services, principal } = context;
    const applicantId = filter?.applicantId ?? undefined;
    const landParcel = filter?.landParcel ?? undefined;
    context.authorize({
      action: 'dossier.list',
      agencyCode: filter?.agencyCode ?? undefined,
      personalFilter: applicantId !== undefined ? 'applicantId' : landParcel !== undefined ? 'landParcel' : undefined,
    });
    // An agency lists its own dossiers; the monitoring centre may name any agency or none.
    const agencyCode = principal.kind !== 'PUBLIC' && principal.kind !== 'MONITOR' ? principal.agencyCode : filter?.agencyCode;
    const page = await services.dossiers.list(
      {
        agencyCode: agencyCode ?? undefined,
        status: filter?.status ?? undefined,
        procedureCode: filter?.procedureCode ?? undefined,
        applicantId,
        landParcel,
        receivedFrom: filter?.receivedFrom ?? undefined,
        receivedTo: filter?.receivedTo ?? undefined,
        dueFrom: filter?.dueFrom ?? undefined,
        dueTo: filter?.dueTo ?? undefined,
        overdue: filter?.overdue ?? undefined,
      },
      pageSize(first),
      requireCursor(after),
    );
    // A search by a person or their land is processing of personal data: written to the log.
    if (applicantId !== undefined || landParcel !== undefined) {
      context.recordProcessing({
        action: 'personal-data.search',
        subject: applicantId !== undefined ? services.audit.subjectRef(applicantId) : null,
        basis: `agency:${agencyCode ?? 'all'}`,
        details: {
          fields: [
            ...(applicantId !== undefined ? ['dossiers.filter.applicantId'] : []),
            ...(landParcel ? ['dossiers.filter.landParcel'] : []),
          ],
          ...(landParcel
            ? {
                landParcel: {
                  communeCode: landParcel.communeCode,
                  mapSheetNumber: landParcel.mapSheetNumber,
                  parcelNumber: landParcel.parcelNumber,
                },
              }
            : {}),
          matches: page.totalCount,
        },
      });
    }
    return toConnection(
      page,
      (entity) => entity.id,
      (entity) => toDossier(entity, services.dossiers.isOverdue(entity)),
    );
  }

  @Query(() => DossierStatusView, { description: 'Public status look-up by dossier code (kiosk, QR code): no personal data.' })
  async dossierStatus(@Arg('code', () => String) code: string, @Ctx() { services }: HubContext): Promise<DossierStatusView> {
    const entity = await services.dossiers.viewByCode(code);
    const currentStepName = (await services.dossiers.openStepName(entity)) ?? null;
    return { ...toDossierStatusView(entity, services.dossiers.isOverdue(entity)), currentStepName };
  }

  @Mutation(() => ReceptionOutcome, {
    description: 'Receives a dossier and issues its code; or, when papers are missing, saves nothing and lists all of them.',
  })
  async receiveDossier(
    @Arg('input', () => ReceiveDossierInput) input: ReceiveDossierInput,
    @Ctx() context: HubContext,
  ): Promise<DossierReceived | DossierIncomplete> {
    const { services, principal } = context;
    context.authorize({ action: 'dossier.receive', agencyCode: input.agencyCode, channel: input.channel });
    const outcome = await services.dossiers.receive({
      submittedByClientId: principal.kind === 'PORTAL' ? principal.clientId : undefined,
      actor: principal.kind === 'PUBLIC' ? 'public' : principal.clientId,
      procedureCode: input.procedureCode,
      applicantId: input.applicantId,
      channel: input.channel,
      agencyCode: input.agencyCode,
      components: (input.components ?? []).map(toSubmittedPaper),
      landParcel: input.landParcel ?? undefined,
      idempotencyKey: input.idempotencyKey ?? undefined,
      clientId: principal.kind === 'PUBLIC' ? undefined : principal.clientId,
      useHeldDocuments: input.useHeldDocuments ?? undefined,
      onRegistryReads: registryReadLogger(context, input.applicantId, input.agencyCode),
    });
    if (outcome.kind === 'incomplete') {
      return {
        procedureCode: outcome.procedure.code,
        missing: outcome.missing.map((m) => ({
          requirementCode: m.requirement.code,
          name: m.requirement.name,
          kind: m.requirement.kind,
          quantity: m.requirement.quantity,
          reasonCode: m.reasonCode,
          reason: m.reason,
        })),
        message: `The dossier is incomplete: ${outcome.missing.length} paper(s) missing. Nothing was saved; hand in all of them and receive it again.`,
      };
    }
    return { dossier: toDossier(outcome.dossier, services.dossiers.isOverdue(outcome.dossier)) };
  }

  @FieldResolver(() => [ProcessingStep], {
    description: 'The processing control sheet (form 05): every hand-over, with its deadline and result.',
  })
  async steps(@Root() dossier: Dossier, @Ctx() { services }: HubContext): Promise<ProcessingStep[]> {
    return (await services.dossiers.steps(dossier.entity)).map(toProcessingStep);
  }

  @FieldResolver(() => [DossierActivity], { description: 'The timeline: every change, who made it, and the status before and after.' })
  async timeline(@Root() dossier: Dossier, @Ctx() { services }: HubContext): Promise<DossierActivity[]> {
    return (await services.dossiers.timeline(dossier.entity)).map((a) => ({
      at: a.at,
      action: a.action,
      actor: a.actor,
      fromStatus: a.fromStatus ?? null,
      toStatus: a.toStatus ?? null,
      note: a.note ?? null,
    }));
  }

  @FieldResolver(() => [DossierPaper], { description: 'The papers and how each was satisfied.' })
  async papers(@Root() dossier: Dossier, @Ctx() { services }: HubContext): Promise<DossierPaper[]> {
    return (await services.dossiers.components(dossier.entity)).map((c) => ({
      requirementCode: c.requirementCode,
      name: c.name,
      source: c.source,
      documentCode: c.documentCode ?? null,
      fileName: c.fileName ?? null,
      fileSha256: c.fileSha256 ?? null,
      registry: c.registry ?? null,
      registryAttribute: c.registryAttribute ?? null,
      registryUpdatedAt: c.registryUpdatedAt ?? null,
      takenFromVault: c.takenFromVault,
      suppliedAt: c.suppliedAt,
      supplement: c.supplement,
    }));
  }

  @FieldResolver(() => Int, {
    description:
      'Papers handed in anew at reception although a valid held document of an accepted type, or a registry confirmation, existed (the once-only misses).',
  })
  missedReuse(@Root() dossier: Dossier): number {
    return dossier.entity.missedReuse;
  }

  @FieldResolver(() => [MissedReusePaper], { description: 'Which papers those were, and what could have been reused for each.' })
  missedReusePapers(@Root() dossier: Dossier): MissedReusePaper[] {
    return dossier.entity.missedReusePapers.map((m) => ({
      requirementCode: m.requirementCode,
      source: m.source,
      documentCode: m.documentCode ?? null,
      registry: m.registry ?? null,
      attribute: m.attribute ?? null,
    }));
  }
}

/**
 * Registry reads at reception are processing of personal data under the receiving agency's legal
 * basis: one processing-log entry per reception (or supplement) that asked a registry.
 */
export function registryReadLogger(context: HubContext, applicantId: string, agencyCode: string) {
  return (reads: RegistryRead[]): void => {
    if (reads.length === 0) return;
    context.recordProcessing({
      action: 'personal-data.registry-confirmation',
      subject: context.services.audit.subjectRef(applicantId),
      basis: `reception:${agencyCode}`,
      details: { reads },
    });
  };
}

export function toSubmittedPaper(paper: PaperInput): SubmittedComponent {
  return {
    requirementCode: paper.requirementCode,
    documentCode: paper.documentCode ?? undefined,
    file: paper.fileName || paper.fileSha256 ? { name: paper.fileName ?? '', sha256: paper.fileSha256 ?? '' } : undefined,
    presented: paper.presented ?? undefined,
  };
}

function toProcessingStep(step: DossierStepEntity): ProcessingStep {
  return {
    sequence: step.sequence,
    stepCode: step.stepCode,
    name: step.name,
    agencyCode: step.agency.code,
    agencyName: step.agency.name,
    fromAgencyCode: step.fromAgency?.code ?? null,
    handedOverBy: step.handedOverBy ?? null,
    handedOverAt: step.handedOverAt,
    dueAt: step.dueAt ?? null,
    completedAt: step.completedAt ?? null,
    completedBy: step.completedBy ?? null,
    result: step.result ?? null,
    note: step.note ?? null,
  };
}
