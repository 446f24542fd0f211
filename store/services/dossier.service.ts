import { readDossierView, readOpenStepName, type DossierView } from '../dossier-view';
import type { EntityManager } from '@mikro-orm/postgresql';
import { authorize } from '../../domain/access/access-policy';
import type { DossierAct } from '../../domain/access/dossier-acts';
import type { ClientPrincipal } from '../../domain/access/principal';
import { type ProcedureDefinition, type ProcedureStep, type RegistrySource } from '../../domain/catalogue/procedure-definition';
import type { Clock } from '../../domain/clock';
import { formatDossierCode, requireDossierCode } from '../../domain/dossier/dossier-code';
import { transition, type DossierAction } from '../../domain/dossier/dossier-lifecycle';
import { competentAgencies, forwardTarget, nextStep, type RoutingAgency } from '../../domain/dossier/step-routing';
import { DOSSIER_STATUS_NAMES, isPending, type DossierStatus } from '../../domain/dossier/dossier-status';
import type { DomainEvent, EventType } from '../../domain/events/dossier-events';
import { ConflictError, ForbiddenError, InvalidInputError, InvalidTransitionError, NotFoundError } from '../../domain/errors';
import { classifyApplicantId } from '../../domain/identifiers/applicant-id';
import { requireLandParcelId, type LandParcelId } from '../../domain/identifiers/land-parcel-id';
import type { DeadlineRules } from '../../domain/ports/deadline-rules.port';
import { requireProcedureCode } from '../../domain/procedure-code';
import type { SubmittedComponent } from '../../domain/reception/completeness';
import {
  checkApplicability,
  decideReception,
  documentOwnerOf,
  type MissingComponent,
  type ReceptionDecision,
  type SatisfiedComponent,
} from '../../domain/reception/reception-decision';
import { registryFactFor, type RegistryFact } from '../../domain/reception/registry-facts';
import { reusablePapers, type ReusablePaper } from '../../domain/reception/reusable-papers';
import type {
  RegistryConfirmation,
  RegistryConfirmationPort,
  RegistryConfirmationRequest,
} from '../../domain/ports/registry-confirmation.port';
import type { ApplicantKind } from '../../domain/identifiers/applicant-id';
import type { HeldDocumentReader } from './held-documents';
import { formatCodeDate, toVietnamLocal } from '../../domain/time/vietnam-time';
import { AgencyEntity } from '../entities/agency.entity';
import { DossierActivityEntity, DossierComponentEntity, DossierStepEntity } from '../entities/dossier-parts.entity';
import { DossierEntity, type ReceptionChannel } from '../entities/dossier.entity';
import type { EventCollector, UnitOfWork } from '../unit-of-work';
import type { DocumentSigner } from '../../domain/ports/document-signer.port';
import { scopeOf } from '../dossier-scope';
import { issueSignedResult, type VaultSettings } from './signed-documents';
import type { CatalogueService, Page } from './catalogue.service';

export interface ReceiveDossierCommand {
  procedureCode: string;
  applicantId: string;
  channel: ReceptionChannel;
  /** The desk that receives it. */
  agencyCode: string;
  components?: readonly SubmittedComponent[] | undefined;
  /** The land parcel it concerns (land and building procedures), unchecked: validated here. */
  landParcel?: { communeCode: unknown; mapSheetNumber: unknown; parcelNumber: unknown } | undefined;
  /** Same key from the same client, same request: the first dossier is returned instead of a second one. */
  idempotencyKey?: string | undefined;
  /** The API client (or tool) receiving it: an idempotency key is its own, never another client's. */
  clientId?: string | undefined;
  /** The API client submitting it (a portal), so it can follow the dossier later. */
  submittedByClientId?: string | undefined;
  /** Who does it (client id, officer): written to the timeline. */
  actor?: string | undefined;
  /** For papers not listed, take the applicant's best usable held document (recorded as taken from the vault). */
  useHeldDocuments?: boolean | undefined;
  /** Told of every registry read made for this reception (personal-data processing: the caller logs it). */
  onRegistryReads?: ((reads: RegistryRead[]) => void) | undefined;
}

/** One registry read made at reception, for the processing log. */
export interface RegistryRead {
  requirementCode: string;
  registry: RegistrySource;
  attribute: string;
  outcome: RegistryConfirmation['outcome'];
}

export type ReceptionOutcome =
  /** `decision` is absent for a repeated request answered with the first dossier (nothing decided again). */
  | { kind: 'received'; dossier: DossierEntity; decision?: ReceptionDecision | undefined }
  | { kind: 'incomplete'; procedure: ProcedureDefinition; missing: MissingComponent[] };

export interface DossierFilter {
  /** Dossiers this agency received or handles. */
  agencyCode?: string | undefined;
  status?: DossierStatus | undefined;
  procedureCode?: string | undefined;
  applicantId?: string | undefined;
  /** Dossiers about this land parcel (unchecked: validated here). */
  landParcel?: { communeCode: unknown; mapSheetNumber: unknown; parcelNumber: unknown } | undefined;
  receivedFrom?: Date | undefined;
  receivedTo?: Date | undefined;
  dueFrom?: Date | undefined;
  dueTo?: Date | undefined;
  /** Only dossiers past their due time and not yet resolved. */
  overdue?: boolean | undefined;
}

/** Options for an action on an existing dossier. */
export interface ActionOptions {
  actor: string;
  /**
   * Who acts: the access policy decides on the dossier as it is inside the action's transaction (so a
   * dossier forwarded meanwhile is no longer the caller's to act on), and a result is sealed with
   * this caller's agency.
   */
  as: ClientPrincipal;
  /** The version the caller looked at: refused if someone changed the dossier since. */
  expectedVersion?: number | undefined;
  note?: string | undefined;
}

export interface DossierServiceOptions {
  /** Asks the registries for the facts registry-backed papers rely on; without it, such papers must be handed in. */
  registryConfirmation?: RegistryConfirmationPort | undefined;
  /** The applicant's held documents (the vault); without it, no document code satisfies a paper. */
  heldDocuments?: HeldDocumentReader | undefined;
  /** Signs results with the resolving agency's seal; without it results are recorded unsigned (tools, tests of pure lifecycle). */
  documentSigner?: DocumentSigner | undefined;
  /** Where signed results are kept, as documents of the owner's vault (with documentSigner). */
  vault?: VaultSettings | undefined;
}

const RELATIONS = ['procedure', 'receivingAgency', 'currentAgency'] as const;

function definitionOf(dossier: DossierEntity): ProcedureDefinition {
  return dossier.procedure.definition as unknown as ProcedureDefinition;
}

function requireText(value: string | undefined, field: string, max = 2000): string {
  const text = (value ?? '').trim();
  if (!text)
    throw new InvalidInputError(`"${field}" is required: write it for the applicant and the file.`, {
      reason: 'INPUT.REQUIRED',
      details: { field },
    });
  if (text.length > max)
    throw new InvalidInputError(`"${field}" is longer than ${max} characters.`, { reason: 'INPUT.TOO_LONG', details: { field } });
  return text;
}

/** Dossier use cases: each runs in one transaction with its timeline entry and outbox event. */
export class DossierService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly catalogue: CatalogueService,
    private readonly clock: Clock,
    private readonly deadlines: DeadlineRules,
    private readonly options: DossierServiceOptions = {},
  ) {}

  // ---------------------------------------------------------------- reception

  async receive(command: ReceiveDossierCommand): Promise<ReceptionOutcome> {
    const applicantKind = classifyApplicantId(command.applicantId);
    requireProcedureCode(command.procedureCode);
    const landParcel: LandParcelId | undefined = command.landParcel && requireLandParcelId(command.landParcel);
    if (command.idempotencyKey !== undefined && !/^[A-Za-z0-9._:-]{8,128}$/.test(command.idempotencyKey)) {
      throw new InvalidInputError(
        'The idempotency key must be 8 to 128 letters, digits, dots, dashes, colons or underscores (a UUID is a good choice).',
        {
          reason: 'DOSSIER.INVALID_IDEMPOTENCY_KEY',
        },
      );
    }
    // Facts from the registries are gathered before the transaction: never hold one across an upstream call.
    const first = await this.findRepeat(this.uow.reader(), command);
    if (first) return { kind: 'received', dossier: first };
    const asked = (await this.catalogue.procedure(command.procedureCode)).definition as unknown as ProcedureDefinition;
    checkApplicability(asked, applicantKind, landParcel);
    const registry = await this.confirmRegistryFacts(asked, command.applicantId, landParcel, command.components ?? [], {
      requiredToo: true,
    });
    command.onRegistryReads?.(registry.reads);
    try {
      return await this.uow.run(async (em, events) => {
        const repeated = await this.findRepeat(em, command);
        if (repeated) return { kind: 'received', dossier: repeated };
        const procedure = await this.catalogue.procedure(command.procedureCode, em);
        const definition = procedure.definition as unknown as ProcedureDefinition;
        const agency = await this.catalogue.agency(command.agencyCode, em);
        const decision = decideReception({
          procedure: definition,
          applicantId: command.applicantId,
          applicantKind,
          landParcel,
          submitted: command.components ?? [],
          heldDocuments: await this.heldDocumentsFor(em, command.applicantId, applicantKind, command.components ?? []),
          registryFacts: registry.facts,
          confirmations: registry.confirmations,
          useHeldDocuments: command.useHeldDocuments,
          now: this.clock.now(),
        });
        // Incomplete: nothing is saved; the caller gets the whole list at once (form 02).
        if (!decision.complete) return { kind: 'incomplete', procedure: definition, missing: decision.missing };

        const now = this.clock.now();
        const online = command.submittedByClientId !== undefined;
        const sequence = await allocate(em, 'dossier_sequence', ['agency_code', 'reception_date'], [agency.code, formatCodeDate(now)]);
        const year = toVietnamLocal(now).year;
        const registerNumber = await allocate(em, 'dossier_register_sequence', ['agency_code', 'year'], [agency.code, year]);
        const status: DossierStatus = online ? 'REGISTERED_ONLINE' : 'RECEIVED';
        const dossier = em.create(DossierEntity, {
          code: formatDossierCode(agency.code, now, sequence),
          procedure,
          receivingAgency: agency,
          currentAgency: agency,
          applicantId: command.applicantId,
          applicantKind,
          channel: command.channel,
          landCommuneCode: landParcel?.communeCode ?? null,
          landMapSheetNumber: landParcel?.mapSheetNumber ?? null,
          landParcelNumber: landParcel?.parcelNumber ?? null,
          status,
          receivedAt: now,
          // An online registration gets its due time when a desk accepts it.
          dueAt: online ? null : this.deadlines.dueAt(now, definition.resolution),
          registerYear: year,
          registerNumber,
          idempotencyKey: command.idempotencyKey ?? null,
          idempotencyClientId: command.idempotencyKey ? requireKeyOwner(command) : null,
          submittedByClientId: command.submittedByClientId ?? null,
          reusedComponents: decision.reused,
          totalComponents: decision.satisfied.length,
          missedReuse: decision.missedReuse.length,
          missedReusePapers: decision.missedReuse.map(({ requirement, could }) => ({ requirementCode: requirement.code, ...could })),
          createdAt: now,
          updatedAt: now,
        });
        em.persist(dossier);
        await this.persistPapers(em, dossier, decision.satisfied, now, false);
        if (!online) this.openFirstStep(em, dossier, decision.firstStep, now, command.actor);
        this.record(em, events, dossier, {
          action: 'RECEIVE',
          actor: command.actor ?? 'system',
          from: null,
          event: 'dossier.received',
          details: {
            channel: dossier.channel,
            registerNumber,
            reused: dossier.reusedComponents,
            missedReuse: dossier.missedReuse,
            papers: dossier.totalComponents,
          },
        });
        return { kind: 'received', dossier, decision };
      });
    } catch (error) {
      // Two identical requests raced: the loser answers with the winner's dossier.
      if (error instanceof ConflictError && command.idempotencyKey) {
        const repeated = await this.findRepeat(this.uow.reader(), command);
        if (repeated) return { kind: 'received', dossier: repeated };
      }
      throw error;
    }
  }

  /**
   * Asks the registries for the fact each registry-backed paper relies on: the required papers (they
   * may be satisfied from the registry) and those handed in anyway (to count missed reuse). A land
   * fact needs the parcel; without one the land registry is not asked.
   */
  private async confirmRegistryFacts(
    definition: ProcedureDefinition,
    applicantId: string,
    landParcel: LandParcelId | undefined,
    submitted: readonly SubmittedComponent[],
    scope: { requiredToo: boolean },
  ): Promise<{ facts: Map<string, RegistryFact>; confirmations: Map<string, RegistryConfirmation>; reads: RegistryRead[] }> {
    const facts = new Map<string, RegistryFact>();
    const requests: RegistryConfirmationRequest[] = [];
    for (const requirement of definition.components) {
      const fact = registryFactFor(requirement);
      if (!fact) continue;
      facts.set(requirement.code, fact);
      const given = submitted.find((s) => s.requirementCode === requirement.code);
      // A paper named by a document code is decided by the document, not the registry.
      if (given?.documentCode) continue;
      if (!given && !(scope.requiredToo && requirement.required)) continue;
      if (fact.registry === 'land' && !landParcel) continue;
      requests.push({ requirementCode: requirement.code, registry: fact.registry, attribute: fact.attribute, applicantId, landParcel });
    }
    const confirmations = new Map<string, RegistryConfirmation>();
    const port = this.options.registryConfirmation;
    // A registry the port never asks (none, or not configured for confirmation) is not called.
    const asked = port ? requests.filter((request) => port.confirms?.(request.registry) ?? true) : [];
    for (const request of requests) confirmations.set(request.requirementCode, { outcome: 'REGISTRY_UNAVAILABLE' });
    if (!port || asked.length === 0) return { facts, confirmations, reads: [] };
    const answers = await port.confirm(asked);
    asked.forEach((request, index) => confirmations.set(request.requirementCode, answers[index] ?? { outcome: 'REGISTRY_UNAVAILABLE' }));
    return {
      facts,
      confirmations,
      // Only reads that reached a registry are processing of personal data.
      reads: asked.map((request) => ({
        requirementCode: request.requirementCode,
        registry: request.registry,
        attribute: request.attribute,
        outcome: confirmations.get(request.requirementCode)!.outcome,
      })),
    };
  }

  /** The documents the reception decides with: those named, and the owner's own (for useHeldDocuments and missed reuse). */
  private async heldDocumentsFor(em: EntityManager, applicantId: string, kind: ApplicantKind, submitted: readonly SubmittedComponent[]) {
    const reader = this.options.heldDocuments;
    if (!reader) return [];
    const codes = submitted.flatMap((s) => (s.documentCode ? [s.documentCode] : []));
    return reader.read(em, { codes, ownerId: documentOwnerOf(applicantId, kind) });
  }

  /** Writes the papers of a dossier, each with how it was satisfied; a held document records the dossier that used it. */
  private async persistPapers(
    em: EntityManager,
    dossier: DossierEntity,
    satisfied: readonly SatisfiedComponent[],
    now: Date,
    supplement: boolean,
  ): Promise<void> {
    persistPapers(em, dossier, satisfied, now, supplement);
    const reader = this.options.heldDocuments;
    // The use row references the dossier: it must be written first.
    if (reader?.recordUse && satisfied.some(({ by }) => by.source === 'DOCUMENT')) await em.flush();
    for (const { requirement, by } of satisfied) {
      if (by.source === 'DOCUMENT' && reader?.recordUse)
        await reader.recordUse(em, {
          documentCode: by.documentCode,
          dossierCode: dossier.code,
          requirementCode: requirement.code,
          at: now,
        });
    }
  }

  private openFirstStep(
    em: EntityManager,
    dossier: DossierEntity,
    first: { code: string; name: string; workingDays: number },
    now: Date,
    actor: string | undefined,
  ): void {
    em.persist(
      em.create(DossierStepEntity, {
        dossier,
        sequence: 1,
        stepCode: first.code,
        name: first.name,
        agency: dossier.receivingAgency,
        fromAgency: null,
        handedOverBy: actor ?? null,
        handedOverAt: now,
        dueAt: this.deadlines.stepDueAt(now, first.workingDays),
      }),
    );
  }

  /** The dossier this client already received with this key: keys are per client, so another client's is never found. */
  private async findRepeat(em: EntityManager, command: ReceiveDossierCommand): Promise<DossierEntity | undefined> {
    if (!command.idempotencyKey) return undefined;
    const existing = await em.findOne(
      DossierEntity,
      { idempotencyKey: command.idempotencyKey, idempotencyClientId: requireKeyOwner(command) },
      { populate: RELATIONS },
    );
    if (!existing) return undefined;
    if (existing.procedure.code !== command.procedureCode || existing.applicantId !== command.applicantId) {
      throw new ConflictError('This idempotency key was already used for a different dossier. Use a new key for a new dossier.', {
        reason: 'DOSSIER.IDEMPOTENCY_KEY_REUSED',
      });
    }
    return existing;
  }

  // ---------------------------------------------------------------- actions

  /**
   * Loads the dossier for an action, checks the version the caller saw, applies the lifecycle rule,
   * and lets `change` do the rest; the timeline entry and the event are written with it.
   */
  private async act(
    code: string,
    act: DossierAct,
    action: DossierAction | null,
    options: ActionOptions,
    change: (ctx: {
      em: EntityManager;
      dossier: DossierEntity;
      now: Date;
      events: EventCollector;
    }) => Promise<{ event?: EventType | undefined; details?: Record<string, unknown>; followedBy?: DomainEvent[] } | void>,
  ): Promise<DossierEntity> {
    requireDossierCode(code);
    return this.uow.run(async (em, events) => {
      const dossier = await em.findOne(DossierEntity, { code }, { populate: RELATIONS });
      if (!dossier) throw new NotFoundError(`There is no dossier with code ${code}.`, { reason: 'DOSSIER.NOT_FOUND' });
      // Decided on the dossier read in this transaction: its version guards it until the commit.
      authorize(options.as, { action: 'dossier.act', act, dossier: scopeOf(dossier) });
      if (options.expectedVersion !== undefined && options.expectedVersion !== dossier.version) {
        throw new ConflictError(
          `Dossier ${code} was changed by someone else (version ${dossier.version}, you had ${options.expectedVersion}). Reload it and try again.`,
          { reason: 'DOSSIER.STALE_VERSION', details: { currentVersion: dossier.version } },
        );
      }
      const from = dossier.status;
      const step = action ? transition(dossier.status, action) : undefined;
      const now = this.clock.now();
      if (step) dossier.status = step.to;
      dossier.updatedAt = now;
      const outcome = (await change({ em, dossier, now, events })) ?? {};
      this.record(em, events, dossier, {
        action: action ?? 'UPDATE',
        actor: options.actor,
        from,
        note: options.note,
        event: outcome.event ?? step?.event,
        details: outcome.details ?? {},
      });
      // Events the change caused, after the action's own (a result is recorded, then signed).
      for (const event of outcome.followedBy ?? []) events.record(event);
      return dossier;
    });
  }

  private record(
    em: EntityManager,
    events: EventCollector,
    dossier: DossierEntity,
    entry: {
      action: string;
      actor: string;
      from: DossierStatus | null;
      note?: string | undefined;
      event?: EventType | undefined;
      details: Record<string, unknown>;
    },
  ): void {
    const at = dossier.updatedAt;
    em.persist(
      em.create(DossierActivityEntity, {
        dossier,
        at,
        action: entry.action,
        actor: entry.actor,
        fromStatus: entry.from,
        toStatus: dossier.status,
        note: entry.note ?? null,
        details: entry.details,
      }),
    );
    if (!entry.event) return;
    // Events carry no personal data: consumers that need the applicant ask the hub, with authorisation.
    events.record({
      type: entry.event,
      subject: dossier.code,
      occurredAt: at,
      data: {
        code: dossier.code,
        action: entry.action,
        procedureCode: dossier.procedure.code,
        agencyCode: dossier.receivingAgency.code,
        currentAgencyCode: dossier.currentAgency?.code ?? null,
        channel: dossier.channel,
        applicantKind: dossier.applicantKind,
        fromStatus: entry.from,
        status: dossier.status,
        nationalStatusCode: DOSSIER_STATUS_NAMES.indexOf(dossier.status) + 1,
        receivedAt: dossier.receivedAt.toISOString(),
        dueAt: dossier.dueAt?.toISOString() ?? null,
        at: at.toISOString(),
        ...entry.details,
      },
    });
  }

  /** A desk accepts an online registration: from now the resolution time runs. */
  accept(code: string, options: ActionOptions): Promise<DossierEntity> {
    return this.act(code, 'accept', 'ACCEPT_ONLINE', options, async ({ em, dossier, now }) => {
      dossier.dueAt = this.deadlines.dueAt(now, definitionOf(dossier).resolution);
      const first = definitionOf(dossier).steps?.[0];
      this.openFirstStep(
        em,
        dossier,
        { code: first?.code ?? 'S1', name: first?.name ?? 'Tiếp nhận, kiểm tra hồ sơ', workingDays: first?.workingDays ?? 0 },
        now,
        options.actor,
      );
      return { event: 'dossier.received', details: { accepted: true } };
    });
  }

  /** One written request listing everything missing (form 02); the clock stops until the supplement. */
  requestSupplement(
    code: string,
    items: readonly { requirementCode: string; reason: string }[],
    options: ActionOptions,
  ): Promise<DossierEntity> {
    if (items.length === 0) throw new InvalidInputError('List at least one missing paper and why.', { reason: 'SUPPLEMENT.EMPTY' });
    return this.act(code, 'requestSupplement', 'REQUEST_SUPPLEMENT', options, async ({ dossier, now }) => {
      if (dossier.supplementRequestedAt) {
        throw new InvalidTransitionError(
          'A supplement was already requested for this dossier: the rules allow one request listing everything missing.',
          {
            reason: 'SUPPLEMENT.ALREADY_REQUESTED',
          },
        );
      }
      const known = new Set(definitionOf(dossier).components.map((c) => c.code));
      const unknown = items.filter((i) => !known.has(i.requirementCode)).map((i) => i.requirementCode.slice(0, 20));
      if (unknown.length)
        throw new InvalidInputError(`The procedure does not ask for ${unknown.join(', ')}.`, { reason: 'SUPPLEMENT.UNKNOWN_COMPONENT' });
      for (const item of items) requireText(item.reason, `reason of ${item.requirementCode}`, 500);
      dossier.supplementRequestedAt = now;
      return { details: { missing: items.map((i) => ({ requirementCode: i.requirementCode, reason: i.reason.trim() })) } };
    });
  }

  /**
   * The applicant brings the missing papers: processing resumes and the resolution time restarts.
   * Each listed paper must be satisfied (a new file, a usable held document, a registry confirmation);
   * otherwise nothing is saved and every refusal is listed with its reason.
   */
  async submitSupplement(
    code: string,
    components: readonly SubmittedComponent[],
    options: ActionOptions & { onRegistryReads?: ((reads: RegistryRead[]) => void) | undefined },
  ): Promise<DossierEntity> {
    const before = await this.findByCode(code);
    const landParcel = landParcelOf(before);
    const registry = await this.confirmRegistryFacts(definitionOf(before), before.applicantId, landParcel, components, {
      requiredToo: false,
    });
    options.onRegistryReads?.(registry.reads);
    return this.act(code, 'submitSupplement', 'SUBMIT_SUPPLEMENT', options, async ({ em, dossier, now }) => {
      const definition = definitionOf(dossier);
      const applicantKind = dossier.applicantKind as ApplicantKind;
      const decision = decideReception({
        procedure: definition,
        applicantId: dossier.applicantId,
        applicantKind,
        landParcel,
        submitted: components,
        heldDocuments: await this.heldDocumentsFor(em, dossier.applicantId, applicantKind, components),
        registryFacts: registry.facts,
        confirmations: registry.confirmations,
        supplement: true,
        now,
      });
      if (!decision.complete || decision.satisfied.length === 0) {
        const missing = decision.missing.map((m) => ({ requirementCode: m.requirement.code, reasonCode: m.reasonCode, reason: m.reason }));
        throw new InvalidInputError(
          missing.length
            ? `The supplement cannot be taken: ${missing.map((m) => `${m.requirementCode}: ${m.reason}`).join(' ')} Nothing was saved.`
            : 'The supplement must hand in the requested papers (new files or valid documents).',
          { reason: 'SUPPLEMENT.INCOMPLETE', details: { missing } },
        );
      }
      await this.persistPapers(em, dossier, decision.satisfied, now, true);
      dossier.totalComponents += decision.satisfied.length;
      dossier.reusedComponents += decision.reused;
      dossier.supplementedAt = now;
      dossier.dueAt = this.deadlines.restartAfterSupplement(now, definition.resolution);
      return { details: { papers: decision.satisfied.map((s) => s.requirement.code), reused: decision.reused } };
    });
  }

  /**
   * Hands the dossier to the agency for the next step (the next line of the processing control sheet).
   * The target must be competent for that step by the procedure's steps and the agencies' roles
   * (`domain/dossier/step-routing.ts`); without a target, the hub routes to the first competent one:
   * the one with that role in the receiving desk's commune, else in its province (so a desk can
   * receive what another agency resolves: boundary-free reception).
   */
  forward(
    code: string,
    toAgencyCode: string | undefined,
    options: ActionOptions & { stepCode?: string | undefined },
  ): Promise<DossierEntity> {
    return this.act(code, 'forward', 'FORWARD', options, async ({ em, dossier, now }) => {
      const steps = await em.find(DossierStepEntity, { dossier }, { orderBy: { sequence: 'asc' }, populate: ['agency'] });
      const planned = nextStep(definitionOf(dossier).steps, steps.length, options.stepCode);
      const competent = await this.competentFor(em, dossier, planned.agency);
      const chosen = forwardTarget(planned, competent, toAgencyCode);
      const target = await em.findOneOrFail(AgencyEntity, { code: chosen.code });
      const open = steps.filter((s) => !s.completedAt).at(-1);
      if (open) {
        open.completedAt = now;
        open.completedBy = options.actor;
        open.result = open.result ?? 'Chuyển xử lý';
      }
      const step = em.create(DossierStepEntity, {
        dossier,
        sequence: steps.length + 1,
        stepCode: planned.code,
        name: planned.name,
        agency: target,
        fromAgency: dossier.currentAgency ?? dossier.receivingAgency,
        handedOverBy: options.actor,
        handedOverAt: now,
        dueAt: this.deadlines.stepDueAt(now, planned.workingDays),
        note: options.note ?? null,
      });
      em.persist(step);
      dossier.currentAgency = target;
      if (!dossier.involvedAgencyCodes.includes(target.code)) dossier.involvedAgencyCodes = [...dossier.involvedAgencyCodes, target.code];
      return { details: { toAgencyCode: target.code, stepCode: step.stepCode, stepDueAt: step.dueAt?.toISOString() ?? null } };
    });
  }

  /** Gathers what routing decides on: the receiving desk and the agencies with the step's role, each with its province. */
  private async competentFor(em: EntityManager, dossier: DossierEntity, agency: ProcedureStep['agency']): Promise<RoutingAgency[]> {
    const routing = async (a: AgencyEntity): Promise<RoutingAgency> => ({
      code: a.code,
      name: a.name,
      level: a.level,
      adminUnitCode: a.adminUnitCode ?? null,
      province: await this.provinceOf(em, a),
    });
    const desk = await routing(dossier.receivingAgency);
    if (agency.kind === 'receiving-agency') return competentAgencies(agency, desk, []);
    const withRole = await em.find(AgencyEntity, { roles: { $contains: [agency.role] } });
    return competentAgencies(agency, desk, await Promise.all(withRole.map(routing)));
  }

  /** The province (2-digit code) an agency belongs to, following its parents. */
  private async provinceOf(em: EntityManager, agency: AgencyEntity): Promise<string | null> {
    let current: AgencyEntity | null = agency;
    for (let depth = 0; current && depth < 5; depth += 1) {
      if (current.level === 'province' && current.adminUnitCode && current.adminUnitCode.length === 2) return current.adminUnitCode;
      current = current.parentCode ? await em.findOne(AgencyEntity, { code: current.parentCode }) : null;
    }
    return null;
  }

  /** The agency holding the dossier finishes its step, with its result and note. */
  completeStep(code: string, result: string, options: ActionOptions): Promise<DossierEntity> {
    const text = requireText(result, 'result', 500);
    return this.act(code, 'completeStep', null, options, async ({ em, dossier, now }) => {
      if (dossier.status !== 'PROCESSING') {
        throw new InvalidTransitionError(`Only a dossier being processed has an open step; this one is ${dossier.status}.`, {
          reason: 'STEP.NOT_PROCESSING',
        });
      }
      const open = (await em.find(DossierStepEntity, { dossier, completedAt: null }, { orderBy: { sequence: 'desc' } }))[0];
      if (!open)
        throw new InvalidTransitionError('No step is open: forward the dossier to the next agency first.', { reason: 'STEP.NONE_OPEN' });
      open.completedAt = now;
      open.completedBy = options.actor;
      open.result = text;
      open.note = options.note ?? open.note ?? null;
      return {
        event: 'dossier.step-completed',
        details: { stepCode: open.stepCode, result: text, onTime: !open.dueAt || now <= open.dueAt },
      };
    });
  }

  /** The result is ready (signed by the signatures feature): early, on time or late is fixed now. */
  recordResult(
    code: string,
    result: { documentCode?: string | undefined; summary: string },
    options: ActionOptions,
  ): Promise<DossierEntity> {
    const summary = requireText(result.summary, 'summary', 1000);
    return this.act(code, 'recordResult', 'RECORD_RESULT', options, async ({ em, dossier, now }) => {
      for (const open of await em.find(DossierStepEntity, { dossier, completedAt: null })) {
        open.completedAt = now;
        open.completedBy = options.actor;
        open.result = open.result ?? 'Có kết quả';
      }
      dossier.resolvedAt = now;
      dossier.completion = dossier.dueAt ? this.deadlines.classify(now, dossier.dueAt) : 'ON_TIME';
      dossier.resultSummary = summary;
      dossier.resultDocumentCode = result.documentCode ?? null;
      const { documentSigner: signer, vault } = this.options;
      if (!signer || !vault) return { details: { completion: dossier.completion } };
      // The policy let only the holder record the result: it is sealed by that agency, the caller's own.
      const sealedBy = dossier.currentAgency ?? dossier.receivingAgency;
      if (sealedBy.code !== options.as.agencyCode) {
        throw new ForbiddenError('A result is sealed only by the agency holding the dossier, with its own seal.', {
          reason: 'SEAL.NOT_OWN_AGENCY',
        });
      }
      // Signed in the same transaction: a result is never recorded without its signed document.
      const signed = await issueSignedResult(
        em,
        signer,
        {
          dossier,
          agency: sealedBy,
          summary,
          externalDocumentCode: result.documentCode ?? null,
          actor: options.actor,
          at: now,
        },
        vault,
      );
      dossier.resultDocumentCode = signed.code;
      return {
        details: { completion: dossier.completion, resultDocumentCode: signed.code },
        followedBy: [
          {
            type: 'dossier.result-signed',
            subject: dossier.code,
            occurredAt: now,
            data: { code: dossier.code, documentCode: signed.code, signerSerial: signed.signerSerial, at: now.toISOString() },
          },
          ...signed.events,
        ],
      };
    });
  }

  returnResult(
    code: string,
    returned: { channel: ReceptionChannel; feesPaidVnd?: number | undefined },
    options: ActionOptions,
  ): Promise<DossierEntity> {
    if (returned.feesPaidVnd !== undefined && (!Number.isSafeInteger(returned.feesPaidVnd) || returned.feesPaidVnd < 0)) {
      throw new InvalidInputError('Fees paid must be a whole, non-negative amount of đồng.', { reason: 'RETURN.INVALID_FEES' });
    }
    return this.act(code, 'returnResult', 'RETURN_RESULT', options, async ({ dossier, now }) => {
      dossier.returnedAt = now;
      dossier.returnChannel = returned.channel;
      dossier.feesPaidVnd = returned.feesPaidVnd === undefined ? null : String(returned.feesPaidVnd);
      return { details: { returnChannel: returned.channel, feesPaidVnd: returned.feesPaidVnd ?? null } };
    });
  }

  /** The one extension, with the apology letter (form 04): a reason and a new date, at least a working day ahead. */
  extendDeadline(code: string, newDueAt: Date, reason: string, options: ActionOptions): Promise<DossierEntity> {
    const why = requireText(reason, 'reason', 1000);
    return this.act(code, 'extendDeadline', null, options, async ({ dossier, now }) => {
      if (!isPending(dossier.status) || !dossier.dueAt) {
        throw new InvalidTransitionError(`Only a dossier in progress with a due date can be extended; this one is ${dossier.status}.`, {
          reason: 'DEADLINE.NOT_IN_PROGRESS',
        });
      }
      this.deadlines.checkExtension({
        currentDueAt: dossier.dueAt,
        previouslyExtended: Boolean(dossier.extendedAt),
        requestedNewDueAt: newDueAt,
        now,
      });
      dossier.originalDueAt = dossier.dueAt;
      dossier.dueAt = newDueAt;
      dossier.extendedAt = now;
      dossier.extensionReason = why;
      return {
        event: 'dossier.deadline-extended',
        details: { previousDueAt: dossier.originalDueAt.toISOString(), newDueAt: newDueAt.toISOString(), reason: why },
      };
    });
  }

  reject(code: string, reason: string, options: ActionOptions): Promise<DossierEntity> {
    const why = requireText(reason, 'reason', 1000);
    return this.act(code, 'reject', 'REJECT', { ...options, note: why }, async () => ({ details: { reason: why } }));
  }

  withdraw(code: string, options: ActionOptions): Promise<DossierEntity> {
    return this.act(code, 'withdraw', 'WITHDRAW', options, async () => undefined);
  }

  stop(code: string, reason: string, options: ActionOptions): Promise<DossierEntity> {
    const why = requireText(reason, 'reason', 1000);
    return this.act(code, 'stop', 'STOP', { ...options, note: why }, async ({ dossier, now }) => {
      dossier.stoppedAt = now;
      return { details: { reason: why } };
    });
  }

  /** The citizen's satisfaction with a returned result, once. */
  rate(code: string, score: number, comment: string | undefined, options: ActionOptions): Promise<DossierEntity> {
    if (!Number.isInteger(score) || score < 1 || score > 5)
      throw new InvalidInputError('A rating is a whole number from 1 to 5.', { reason: 'RATING.OUT_OF_RANGE' });
    if (comment !== undefined && comment.length > 2000)
      throw new InvalidInputError('A comment has at most 2000 characters.', { reason: 'RATING.TOO_LONG' });
    return this.act(code, 'rate', null, options, async ({ dossier }) => {
      if (dossier.status !== 'RETURNED')
        throw new InvalidTransitionError(`A dossier can be rated once its result is returned; this one is ${dossier.status}.`, {
          reason: 'RATING.NOT_RETURNED',
        });
      if (dossier.rating) throw new InvalidTransitionError('This dossier was already rated.', { reason: 'RATING.ALREADY_RATED' });
      dossier.rating = score;
      dossier.ratingComment = comment?.trim() || null;
      return { details: { rating: score } };
    });
  }

  // ---------------------------------------------------------------- queries

  /**
   * What already satisfies each paper of a procedure for this applicant: usable held documents and
   * the registries' confirmations now (asked before reading the vault, outside any transaction).
   */
  async reusableFor(
    applicantId: string,
    procedureCode: string,
    landParcel?: { communeCode: unknown; mapSheetNumber: unknown; parcelNumber: unknown } | undefined,
  ): Promise<{ papers: ReusablePaper[]; reads: RegistryRead[] }> {
    const applicantKind = classifyApplicantId(applicantId);
    requireProcedureCode(procedureCode);
    const parcel = landParcel && requireLandParcelId(landParcel);
    const definition = (await this.catalogue.procedure(procedureCode)).definition as unknown as ProcedureDefinition;
    checkApplicability(definition, applicantKind, parcel);
    // Every paper a registry backs, required or not: the page shows what the registry holds for each.
    const asked = definition.components.map((c) => ({ requirementCode: c.code }));
    const registry = await this.confirmRegistryFacts(definition, applicantId, parcel, asked, { requiredToo: true });
    const heldDocuments = await this.heldDocumentsFor(this.uow.reader(), applicantId, applicantKind, []);
    const papers = reusablePapers({
      procedure: definition,
      ownerId: documentOwnerOf(applicantId, applicantKind),
      heldDocuments,
      registryFacts: registry.facts,
      confirmations: registry.confirmations,
      now: this.clock.now(),
    });
    return { papers, reads: registry.reads };
  }

  async findByCode(code: string): Promise<DossierEntity> {
    requireDossierCode(code);
    const dossier = await this.uow.reader().findOne(DossierEntity, { code }, { populate: RELATIONS });
    if (!dossier) throw new NotFoundError(`There is no dossier with code ${code}.`, { reason: 'DOSSIER.NOT_FOUND' });
    return dossier;
  }

  /**
   * The dossier as the read API shows it, in one statement without the ORM's hydration (nor the
   * procedure's definition): for reads that act on nothing.
   */
  async viewByCode(code: string): Promise<DossierView> {
    requireDossierCode(code);
    const dossier = await readDossierView((name, sql, params) => this.uow.prepared(name, sql, params), code);
    if (!dossier) throw new NotFoundError(`There is no dossier with code ${code}.`, { reason: 'DOSSIER.NOT_FOUND' });
    return dossier;
  }

  /** The step the dossier is in now (the last one not completed), without loading the sheet. */
  async openStepName(dossier: Pick<DossierEntity, 'id'>): Promise<string | undefined> {
    return readOpenStepName((name, sql, params) => this.uow.prepared(name, sql, params), dossier.id);
  }

  async steps(dossier: Pick<DossierEntity, 'id'>): Promise<DossierStepEntity[]> {
    return this.uow
      .reader()
      .find(DossierStepEntity, { dossier: dossier.id }, { orderBy: { sequence: 'asc' }, populate: ['agency', 'fromAgency'] });
  }

  async timeline(dossier: Pick<DossierEntity, 'id'>): Promise<DossierActivityEntity[]> {
    return this.uow.reader().find(DossierActivityEntity, { dossier: dossier.id }, { orderBy: { id: 'asc' } });
  }

  async components(dossier: Pick<DossierEntity, 'id'>): Promise<DossierComponentEntity[]> {
    return this.uow.reader().find(DossierComponentEntity, { dossier: dossier.id }, { orderBy: { id: 'asc' } });
  }

  /** Newest first; `afterId` is the cursor of the last item of the previous page. */
  async list(filter: DossierFilter, first: number, afterId?: string): Promise<Page<DossierEntity>> {
    const em = this.uow.reader();
    const and: Record<string, unknown>[] = [];
    if (filter.agencyCode !== undefined)
      and.push({ $or: [{ receivingAgency: filter.agencyCode }, { involvedAgencyCodes: { $overlap: [filter.agencyCode] } }] });
    if (filter.status) {
      if (!DOSSIER_STATUS_NAMES.includes(filter.status)) throw new InvalidInputError(`Unknown dossier status ${filter.status}.`);
      and.push({ status: filter.status });
    }
    if (filter.procedureCode !== undefined) and.push({ procedure: requireProcedureCode(filter.procedureCode, 'filter.procedureCode') });
    if (filter.applicantId !== undefined) {
      classifyApplicantId(filter.applicantId);
      and.push({ applicantId: filter.applicantId });
    }
    if (filter.landParcel !== undefined) {
      const parcel = requireLandParcelId(filter.landParcel, 'filter.landParcel');
      and.push({ landCommuneCode: parcel.communeCode, landMapSheetNumber: parcel.mapSheetNumber, landParcelNumber: parcel.parcelNumber });
    }
    if (filter.receivedFrom) and.push({ receivedAt: { $gte: filter.receivedFrom } });
    if (filter.receivedTo) and.push({ receivedAt: { $lt: filter.receivedTo } });
    if (filter.dueFrom) and.push({ dueAt: { $gte: filter.dueFrom } });
    if (filter.dueTo) and.push({ dueAt: { $lt: filter.dueTo } });
    if (filter.overdue !== undefined) {
      const overdue = { resolvedAt: null, dueAt: { $lt: this.clock.now() }, status: { $nin: ['REFUSED', 'WITHDRAWN', 'STOPPED'] } };
      and.push(filter.overdue ? overdue : { $not: overdue });
    }
    const where = and.length ? { $and: and } : {};
    const totalCount = await em.count(DossierEntity, where);
    const pageWhere = afterId ? { $and: [...and, { id: { $lt: afterId } }] } : where;
    const items = await em.find(DossierEntity, pageWhere, { orderBy: { id: 'desc' }, limit: first + 1, populate: RELATIONS });
    return { items: items.slice(0, first), hasNextPage: items.length > first, totalCount };
  }

  /** Whether the dossier is past its due time and not yet resolved (overdue is derived, not a status). */
  isOverdue(dossier: Pick<DossierEntity, 'dueAt' | 'status'>): boolean {
    return Boolean(dossier.dueAt && isPending(dossier.status) && dossier.dueAt.getTime() < this.clock.now().getTime());
  }
}

/** Whose idempotency key it is: the client receiving the dossier. */
function requireKeyOwner(command: ReceiveDossierCommand): string {
  // A programming error, not a caller's: every entry point names the client.
  if (!command.clientId) throw new Error('an idempotency key needs the client it belongs to (clientId)');
  return command.clientId;
}

/** The land parcel a dossier names, if any. */
function landParcelOf(dossier: DossierEntity): LandParcelId | undefined {
  return dossier.landCommuneCode && dossier.landMapSheetNumber && dossier.landParcelNumber
    ? { communeCode: dossier.landCommuneCode, mapSheetNumber: dossier.landMapSheetNumber, parcelNumber: dossier.landParcelNumber }
    : undefined;
}

/** Writes the papers of a dossier, each with how it was satisfied. */
function persistPapers(
  em: EntityManager,
  dossier: DossierEntity,
  satisfied: readonly SatisfiedComponent[],
  now: Date,
  supplement: boolean,
): void {
  for (const { requirement, by } of satisfied) {
    em.persist(
      em.create(DossierComponentEntity, {
        dossier,
        requirementCode: requirement.code,
        name: requirement.name,
        source: by.source,
        documentCode: by.source === 'DOCUMENT' ? by.documentCode : null,
        fileName: by.source === 'NEW_FILE' ? by.fileName : null,
        fileSha256: by.source === 'NEW_FILE' ? by.sha256 : null,
        registry: by.source === 'REGISTRY' ? by.registry : null,
        registryAttribute: by.source === 'REGISTRY' ? by.attribute : null,
        registryUpdatedAt: by.source === 'REGISTRY' ? by.lastUpdatedAt : null,
        takenFromVault: by.source === 'DOCUMENT' && by.chosen === 'HELD',
        suppliedAt: now,
        supplement,
      }),
    );
  }
}

/** The next number of a counter row (dossier code sequence, yearly register); the row lock serialises concurrent receptions. */
async function allocate(em: EntityManager, table: string, keys: [string, string], values: [string, string | number]): Promise<number> {
  const rows = await em.execute<{ last_value: number }[]>(
    `insert into ${table} (${keys[0]}, ${keys[1]}, last_value) values (?, ?, 1)
     on conflict (${keys[0]}, ${keys[1]}) do update set last_value = ${table}.last_value + 1
     returning last_value`,
    values,
  );
  return Number(rows[0]!.last_value);
}
