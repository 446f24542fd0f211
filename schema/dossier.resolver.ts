import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { InvalidInputError } from '../domain/errors';
import type { HubContext } from './context';
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
  if (!after) return undefined;
  const key = decodeCursor(after);
  if (key === undefined)
    throw new InvalidInputError('The "after" cursor is not one this service issued.', { reason: 'PAGINATION.INVALID_CURSOR' });
  return key;
}

@Resolver()
export class DossierResolver {
  @Query(() => Dossier, { description: 'A dossier with its status and dates.' })
  async dossier(@Arg('code', () => String) code: string, @Ctx() { services }: HubContext): Promise<Dossier> {
    const entity = await services.dossiers.findByCode(code);
    return toDossier(entity, services.dossiers.isOverdue(entity));
  }

  @Query(() => DossierConnection, { description: 'Dossiers, newest first, filtered and paginated (Relay connection).' })
  async dossiers(
    @Ctx() { services }: HubContext,
    @Arg('filter', () => DossierFilterInput, { nullable: true }) filter?: DossierFilterInput | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<DossierConnection> {
    const page = await services.dossiers.list(
      {
        agencyCode: filter?.agencyCode ?? undefined,
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
  async receiveDossier(
    @Arg('input', () => ReceiveDossierInput) input: ReceiveDossierInput,
    @Ctx() { services }: HubContext,
  ): Promise<Dossier> {
    const entity = await services.dossiers.receive({
      procedureCode: input.procedureCode,
      applicantId: input.applicantId,
      channel: input.channel,
      agencyCode: input.agencyCode,
      idempotencyKey: input.idempotencyKey ?? undefined,
    });
    return toDossier(entity, services.dossiers.isOverdue(entity));
  }
}
