import { Arg, Ctx, Float, GraphQLISODateTime, Int, Mutation, Resolver } from 'type-graphql';
import { requireClient } from '../domain/access/access-policy';
import type { DossierAct } from '../domain/access/dossier-acts';
import { scopeOf } from '../store/dossier-scope';
import type { ActionOptions } from '../store/services/dossier.service';
import type { DossierEntity } from '../store/entities/dossier.entity';
import type { HubContext } from './context';
import { toDossier } from './dossier.mapper';
import { toSubmittedPaper, registryReadLogger } from './dossier.resolver';
import { PaperInput, SupplementItemInput } from './types/dossier.input';
import { Dossier, ReceptionChannel } from './types/dossier.type';

const VERSION = { nullable: true, description: 'The version you looked at: refused (CONFLICT) if someone changed the dossier since.' };

/**
 * The actions of the one-stop process on a received dossier. Each is authorised by the table of who
 * acts (domain/access/dossier-acts.ts: the receiving desk, the agency holding the dossier, or the
 * applicant), first here so a refused caller learns nothing else, then again by the service inside
 * the action's transaction; then applied with its timeline entry and its event.
 */
@Resolver()
export class DossierLifecycleResolver {
  private async run(
    context: HubContext,
    code: string,
    act: DossierAct,
    expectedVersion: number | null | undefined,
    note: string | null | undefined,
    action: (options: ActionOptions) => Promise<DossierEntity>,
  ): Promise<Dossier> {
    const principal = context.principal;
    requireClient(principal);
    const current = await context.services.dossiers.findByCode(code);
    context.authorize({ action: 'dossier.act', act, dossier: scopeOf(current) });
    const updated = await action({
      actor: principal.clientId,
      as: principal,
      expectedVersion: expectedVersion ?? undefined,
      note: note ?? undefined,
    });
    return toDossier(updated, context.services.dossiers.isOverdue(updated));
  }

  @Mutation(() => Dossier, { description: 'A desk accepts an online registration; the resolution time starts.' })
  acceptDossier(
    @Arg('code', () => String) code: string,
    @Ctx() context: HubContext,
    @Arg('expectedVersion', () => Int, VERSION) expectedVersion?: number | null,
  ): Promise<Dossier> {
    return this.run(context, code, 'accept', expectedVersion, undefined, (o) => context.services.dossiers.accept(code, o));
  }

  @Mutation(() => Dossier, { description: 'Requests, once, every missing paper with its reason (form 02).' })
  requestSupplement(
    @Arg('code', () => String) code: string,
    @Arg('missing', () => [SupplementItemInput]) missing: SupplementItemInput[],
    @Ctx() context: HubContext,
    @Arg('note', () => String, { nullable: true }) note?: string | null,
    @Arg('expectedVersion', () => Int, VERSION) expectedVersion?: number | null,
  ): Promise<Dossier> {
    return this.run(context, code, 'requestSupplement', expectedVersion, note, (o) =>
      context.services.dossiers.requestSupplement(code, missing, o),
    );
  }

  @Mutation(() => Dossier, { description: 'The requested papers are handed in; processing resumes and the resolution time restarts.' })
  submitSupplement(
    @Arg('code', () => String) code: string,
    @Arg('components', () => [PaperInput]) components: PaperInput[],
    @Ctx() context: HubContext,
    @Arg('expectedVersion', () => Int, VERSION) expectedVersion?: number | null,
  ): Promise<Dossier> {
    return this.run(context, code, 'submitSupplement', expectedVersion, undefined, async (o) => {
      const dossier = await context.services.dossiers.findByCode(code);
      return context.services.dossiers.submitSupplement(code, components.map(toSubmittedPaper), {
        ...o,
        onRegistryReads: registryReadLogger(context, dossier.applicantId, o.as.agencyCode ?? dossier.receivingAgency.code),
      });
    });
  }

  @Mutation(() => Dossier, {
    description:
      'Hands the dossier to an agency for the next step (a line of form 05); without toAgencyCode, to the agency competent for that step.',
  })
  forwardDossier(
    @Arg('code', () => String) code: string,
    @Ctx() context: HubContext,
    @Arg('toAgencyCode', () => String, { nullable: true }) toAgencyCode?: string | null,
    @Arg('stepCode', () => String, { nullable: true, description: 'The procedure step it goes to (default: the next one).' })
    stepCode?: string | null,
    @Arg('note', () => String, { nullable: true }) note?: string | null,
    @Arg('expectedVersion', () => Int, VERSION) expectedVersion?: number | null,
  ): Promise<Dossier> {
    return this.run(context, code, 'forward', expectedVersion, note, (o) =>
      context.services.dossiers.forward(code, toAgencyCode ?? undefined, { ...o, stepCode: stepCode ?? undefined }),
    );
  }

  @Mutation(() => Dossier, { description: 'The agency holding the dossier finishes its step, with its result.' })
  completeStep(
    @Arg('code', () => String) code: string,
    @Arg('result', () => String) result: string,
    @Ctx() context: HubContext,
    @Arg('note', () => String, { nullable: true }) note?: string | null,
    @Arg('expectedVersion', () => Int, VERSION) expectedVersion?: number | null,
  ): Promise<Dossier> {
    return this.run(context, code, 'completeStep', expectedVersion, note, (o) => context.services.dossiers.completeStep(code, result, o));
  }

  @Mutation(() => Dossier, { description: 'Records the result; early, on time or late is fixed now.' })
  recordResult(
    @Arg('code', () => String) code: string,
    @Arg('summary', () => String) summary: string,
    @Ctx() context: HubContext,
    @Arg('documentCode', () => String, { nullable: true }) documentCode?: string | null,
    @Arg('expectedVersion', () => Int, VERSION) expectedVersion?: number | null,
  ): Promise<Dossier> {
    return this.run(context, code, 'recordResult', expectedVersion, undefined, (o) =>
      context.services.dossiers.recordResult(code, { summary, documentCode: documentCode ?? undefined }, o),
    );
  }

  @Mutation(() => Dossier, { description: 'Hands the result to the applicant (desk, post or online), with the fees paid.' })
  returnResult(
    @Arg('code', () => String) code: string,
    @Arg('channel', () => ReceptionChannel) channel: ReceptionChannel,
    @Ctx() context: HubContext,
    @Arg('feesPaidVnd', () => Float, { nullable: true }) feesPaidVnd?: number | null,
    @Arg('expectedVersion', () => Int, VERSION) expectedVersion?: number | null,
  ): Promise<Dossier> {
    return this.run(context, code, 'returnResult', expectedVersion, undefined, (o) =>
      context.services.dossiers.returnResult(code, { channel, feesPaidVnd: feesPaidVnd ?? undefined }, o),
    );
  }

  @Mutation(() => Dossier, { description: 'The one extension, with the apology letter (form 04): a reason and a new date.' })
  extendDeadline(
    @Arg('code', () => String) code: string,
    @Arg('newDueAt', () => GraphQLISODateTime) newDueAt: Date,
    @Arg('reason', () => String) reason: string,
    @Ctx() context: HubContext,
    @Arg('expectedVersion', () => Int, VERSION) expectedVersion?: number | null,
  ): Promise<Dossier> {
    return this.run(context, code, 'extendDeadline', expectedVersion, undefined, (o) =>
      context.services.dossiers.extendDeadline(code, newDueAt, reason, o),
    );
  }

  @Mutation(() => Dossier, { description: 'Refuses the dossier, with the reason (form 03).' })
  rejectDossier(
    @Arg('code', () => String) code: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() context: HubContext,
    @Arg('expectedVersion', () => Int, VERSION) expectedVersion?: number | null,
  ): Promise<Dossier> {
    return this.run(context, code, 'reject', expectedVersion, undefined, (o) => context.services.dossiers.reject(code, reason, o));
  }

  @Mutation(() => Dossier, { description: 'Stops processing, with the reason.' })
  stopDossier(
    @Arg('code', () => String) code: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() context: HubContext,
    @Arg('expectedVersion', () => Int, VERSION) expectedVersion?: number | null,
  ): Promise<Dossier> {
    return this.run(context, code, 'stop', expectedVersion, undefined, (o) => context.services.dossiers.stop(code, reason, o));
  }

  @Mutation(() => Dossier, { description: 'The applicant withdraws the dossier.' })
  withdrawDossier(
    @Arg('code', () => String) code: string,
    @Ctx() context: HubContext,
    @Arg('expectedVersion', () => Int, VERSION) expectedVersion?: number | null,
  ): Promise<Dossier> {
    return this.run(context, code, 'withdraw', expectedVersion, undefined, (o) => context.services.dossiers.withdraw(code, o));
  }

  @Mutation(() => Dossier, { description: 'The applicant rates the service (1 to 5) once the result is returned.' })
  rateService(
    @Arg('code', () => String) code: string,
    @Arg('score', () => Int) score: number,
    @Ctx() context: HubContext,
    @Arg('comment', () => String, { nullable: true }) comment?: string | null,
  ): Promise<Dossier> {
    return this.run(context, code, 'rate', undefined, undefined, (o) =>
      context.services.dossiers.rate(code, score, comment ?? undefined, o),
    );
  }
}
