import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../domain/clock';
import { formatDossierCode, requireDossierCode } from '../../domain/dossier/dossier-code';
import { transition, type DossierAction } from '../../domain/dossier/dossier-lifecycle';
import { DOSSIER_STATUS_NAMES, isPending, type DossierStatus } from '../../domain/dossier/dossier-status';
import { ConflictError, InvalidInputError, NotFoundError } from '../../domain/errors';
import { classifyApplicantId } from '../../domain/identifiers/applicant-id';
import { requireProcedureCode } from '../../domain/procedure-code';
import { formatCodeDate } from '../../domain/time/vietnam-time';
import { DossierEntity, type ReceptionChannel } from '../entities/dossier.entity';
import type { UnitOfWork } from '../unit-of-work';
import type { CatalogueService, Page } from './catalogue.service';

export interface ReceiveDossierCommand {
  procedureCode: string;
  applicantId: string;
  channel: ReceptionChannel;
  /** The desk that receives it. */
  agencyCode: string;
  /** Same key, same request: the first dossier is returned instead of a second one. */
  idempotencyKey?: string | undefined;
  /** The API client submitting it (a portal), so it can follow the dossier later. */
  submittedByClientId?: string | undefined;
}

export interface DossierFilter {
  agencyCode?: string | undefined;
  status?: DossierStatus | undefined;
  procedureCode?: string | undefined;
  applicantId?: string | undefined;
  receivedFrom?: Date | undefined;
  receivedTo?: Date | undefined;
}

const RELATIONS = ['procedure', 'receivingAgency'] as const;

/** Dossier use cases: each runs in one transaction with its outbox events. */
export class DossierService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly catalogue: CatalogueService,
    private readonly clock: Clock,
  ) {}

  async receive(command: ReceiveDossierCommand): Promise<DossierEntity> {
    const applicantKind = classifyApplicantId(command.applicantId);
    if (command.idempotencyKey !== undefined && !/^[A-Za-z0-9._:-]{8,128}$/.test(command.idempotencyKey)) {
      throw new InvalidInputError(
        'The idempotency key must be 8 to 128 letters, digits, dots, dashes, colons or underscores (a UUID is a good choice).',
        {
          reason: 'DOSSIER.INVALID_IDEMPOTENCY_KEY',
        },
      );
    }
    try {
      return await this.uow.run(async (em, events) => {
        const repeated = await this.findRepeat(em, command);
        if (repeated) return repeated;
        const procedure = await this.catalogue.procedure(command.procedureCode, em);
        const agency = await this.catalogue.agency(command.agencyCode, em);
        const now = this.clock.now();
        const sequence = await allocateSequence(em, agency.code, formatCodeDate(now));
        const dossier = em.create(DossierEntity, {
          code: formatDossierCode(agency.code, now, sequence),
          procedure,
          receivingAgency: agency,
          applicantId: command.applicantId,
          applicantKind,
          channel: command.channel,
          status: 'RECEIVED',
          receivedAt: now,
          dueAt: null,
          idempotencyKey: command.idempotencyKey ?? null,
          submittedByClientId: command.submittedByClientId ?? null,
          createdAt: now,
          updatedAt: now,
        });
        em.persist(dossier);
        // Events carry no personal data: consumers that need the applicant ask the hub, with authorisation.
        events.record({
          type: 'dossier.received',
          subject: dossier.code,
          occurredAt: now,
          data: {
            code: dossier.code,
            procedureCode: procedure.code,
            agencyCode: agency.code,
            channel: dossier.channel,
            status: dossier.status,
            applicantKind,
            receivedAt: now.toISOString(),
          },
        });
        return dossier;
      });
    } catch (error) {
      // Two identical requests raced: the loser answers with the winner's dossier.
      if (error instanceof ConflictError && command.idempotencyKey) {
        const repeated = await this.findRepeat(this.uow.reader(), command);
        if (repeated) return repeated;
      }
      throw error;
    }
  }

  private async findRepeat(em: EntityManager, command: ReceiveDossierCommand): Promise<DossierEntity | undefined> {
    if (!command.idempotencyKey) return undefined;
    const existing = await em.findOne(DossierEntity, { idempotencyKey: command.idempotencyKey }, { populate: RELATIONS });
    if (!existing) return undefined;
    if (existing.procedure.code !== command.procedureCode || existing.applicantId !== command.applicantId) {
      throw new ConflictError('This idempotency key was already used for a different dossier. Use a new key for a new dossier.', {
        reason: 'DOSSIER.IDEMPOTENCY_KEY_REUSED',
      });
    }
    return existing;
  }

  /**
   * Applies a lifecycle action. With `expectedVersion`, the caller states which version it looked at:
   * if someone changed the dossier since, the action is refused instead of silently overwriting.
   */
  async act(code: string, action: DossierAction, options: { expectedVersion?: number | undefined } = {}): Promise<DossierEntity> {
    requireDossierCode(code);
    return this.uow.run(async (em, events) => {
      const dossier = await em.findOne(DossierEntity, { code }, { populate: RELATIONS });
      if (!dossier) throw new NotFoundError(`There is no dossier with code ${code}.`, { reason: 'DOSSIER.NOT_FOUND' });
      if (options.expectedVersion !== undefined && options.expectedVersion !== dossier.version) {
        throw new ConflictError(
          `Dossier ${code} was changed by someone else (version ${dossier.version}, you had ${options.expectedVersion}). Reload it and try again.`,
          { reason: 'DOSSIER.STALE_VERSION', details: { currentVersion: dossier.version } },
        );
      }
      const step = transition(dossier.status, action);
      const now = this.clock.now();
      dossier.status = step.to;
      dossier.updatedAt = now;
      if (step.to === 'RESOLVED') dossier.resolvedAt = now;
      if (step.to === 'RETURNED') dossier.returnedAt = now;
      if (step.event) {
        events.record({
          type: step.event,
          subject: code,
          occurredAt: now,
          data: { code, action, fromStatus: step.from, status: step.to, at: now.toISOString() },
        });
      }
      return dossier;
    });
  }

  async findByCode(code: string): Promise<DossierEntity> {
    requireDossierCode(code);
    const dossier = await this.uow.reader().findOne(DossierEntity, { code }, { populate: RELATIONS });
    if (!dossier) throw new NotFoundError(`There is no dossier with code ${code}.`, { reason: 'DOSSIER.NOT_FOUND' });
    return dossier;
  }

  /** Newest first; `afterId` is the cursor of the last item of the previous page. */
  async list(filter: DossierFilter, first: number, afterId?: string): Promise<Page<DossierEntity>> {
    const em = this.uow.reader();
    const where: Record<string, unknown> = {};
    if (filter.agencyCode) where.receivingAgency = filter.agencyCode;
    if (filter.status) {
      if (!DOSSIER_STATUS_NAMES.includes(filter.status)) throw new InvalidInputError(`Unknown dossier status ${filter.status}.`);
      where.status = filter.status;
    }
    if (filter.procedureCode !== undefined) where.procedure = requireProcedureCode(filter.procedureCode, 'filter.procedureCode');
    if (filter.applicantId !== undefined) {
      classifyApplicantId(filter.applicantId);
      where.applicantId = filter.applicantId;
    }
    if (filter.receivedFrom || filter.receivedTo) {
      where.receivedAt = {
        ...(filter.receivedFrom ? { $gte: filter.receivedFrom } : {}),
        ...(filter.receivedTo ? { $lt: filter.receivedTo } : {}),
      };
    }
    const totalCount = await em.count(DossierEntity, where);
    const pageWhere = afterId ? { $and: [where, { id: { $lt: afterId } }] } : where;
    const items = await em.find(DossierEntity, pageWhere, { orderBy: { id: 'desc' }, limit: first + 1, populate: RELATIONS });
    return { items: items.slice(0, first), hasNextPage: items.length > first, totalCount };
  }

  /** Whether the dossier is past its due time and not yet resolved (overdue is derived, not a status). */
  isOverdue(dossier: DossierEntity): boolean {
    return Boolean(dossier.dueAt && isPending(dossier.status) && dossier.dueAt.getTime() < this.clock.now().getTime());
  }
}

/** The next XXXX for an agency and day; the row lock serialises concurrent receptions at one desk. */
async function allocateSequence(em: EntityManager, agencyCode: string, receptionDate: string): Promise<number> {
  const rows = await em.execute<{ last_value: number }[]>(
    `insert into dossier_sequence (agency_code, reception_date, last_value) values (?, ?, 1)
     on conflict (agency_code, reception_date) do update set last_value = dossier_sequence.last_value + 1
     returning last_value`,
    [agencyCode, receptionDate],
  );
  return Number(rows[0]!.last_value);
}
