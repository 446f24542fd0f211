import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireClient } from '../domain/access/access-policy';
import { InvalidInputError } from '../domain/errors';
import type { HubContext } from './context';
import { scopeOf } from '../store/dossier-scope';
import { toDossier, toDossierStatusView } from './dossier.mapper';
import { decodeCursor, PAGE_SIZE, toConnection } from './types/connection.type';
import { Dossier, DossierConnection, DossierStatusView } from './types/dossier.type';
import { DossierFilterInput, ReceiveDossierInput } from './types/dossier.input';

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
    const entity = await context.services.dossiers.findByCode(code);
    context.authorize({ action: 'dossier.read', dossier: scopeOf(entity) });
    return toDossier(entity, context.services.dossiers.isOverdue(entity));
  }

  @FieldResolver(() => String, {
    description: '12-digit personal id or enterprise code of the applicant (personal data: needs a legal basis).',
  })
  applicantId(@Root() dossier: Dossier, @Ctx() context: HubContext): string {
    context.authorize({ action: 'personal-data.read', basis: { kind: 'dossier', dossier: dossier.scope } });
    context.recordProcessing({
      action: 'personal-data.read',
      subject: context.services.audit.subjectRef(dossier.applicantId),
      basis: `dossier:${dossier.code}`,
      details: { fields: ['Dossier.applicantId'] },
    });
    return dossier.applicantId;
  }

  @Query(() => DossierConnection, { description: 'Dossiers, newest first, filtered and paginated (Relay connection).' })
  async dossiers(
    @Ctx() context: HubContext,
    @Arg('filter', () => DossierFilterInput, { nullable: true }) filter?: DossierFilterInput | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<DossierConnection> {
    const { services, principal } = context;
    context.authorize({ action: 'dossier.list', agencyCode: filter?.agencyCode ?? undefined });
    // An agency lists its own dossiers; the monitoring centre may name any agency or none.
    const agencyCode = principal.kind !== 'PUBLIC' && principal.kind !== 'MONITOR' ? principal.agencyCode : filter?.agencyCode;
    const page = await services.dossiers.list(
      {
        agencyCode: agencyCode ?? undefined,
        status: filter?.status ?? undefined,
        procedureCode: filter?.procedureCode ?? undefined,
        applicantId: filter?.applicantId ?? undefined,
        receivedFrom: filter?.receivedFrom ?? undefined,
        receivedTo: filter?.receivedTo ?? undefined,
      },
      pageSize(first),
      requireCursor(after),
    );
    return toConnection(
      page,
      (entity) => entity.id,
      (entity) => toDossier(entity, services.dossiers.isOverdue(entity)),
    );
  }

  @Query(() => DossierStatusView, { description: 'Public status look-up by dossier code (kiosk, QR code): no personal data.' })
  async dossierStatus(@Arg('code', () => String) code: string, @Ctx() { services }: HubContext): Promise<DossierStatusView> {
    const entity = await services.dossiers.findByCode(code);
    return toDossierStatusView(entity, services.dossiers.isOverdue(entity));
  }

  @Mutation(() => Dossier, { description: 'Receives a dossier and issues its code.' })
  async receiveDossier(@Arg('input', () => ReceiveDossierInput) input: ReceiveDossierInput, @Ctx() context: HubContext): Promise<Dossier> {
    const { services, principal } = context;
    context.authorize({ action: 'dossier.receive', agencyCode: input.agencyCode, channel: input.channel });
    const entity = await services.dossiers.receive({
      submittedByClientId: principal.kind === 'PORTAL' ? principal.clientId : undefined,
      procedureCode: input.procedureCode,
      applicantId: input.applicantId,
      channel: input.channel,
      agencyCode: input.agencyCode,
      idempotencyKey: input.idempotencyKey ?? undefined,
    });
    return toDossier(entity, services.dossiers.isOverdue(entity));
  }
}
