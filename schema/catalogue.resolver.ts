import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { HubContext } from './context';
import { toProcedure } from './dossier.mapper';
import { pageSize, requireCursor } from './dossier.resolver';
import { toConnection } from './types/connection.type';
import { Procedure, ProcedureConnection } from './types/catalogue.type';
import { ProcedureFilterInput } from './types/dossier.input';

@Resolver()
export class CatalogueResolver {
  @Query(() => ProcedureConnection, { description: 'The procedure catalogue, by code (Relay connection).' })
  async procedures(
    @Ctx() { services }: HubContext,
    @Arg('filter', () => ProcedureFilterInput, { nullable: true }) filter?: ProcedureFilterInput | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<ProcedureConnection> {
    const page = await services.catalogue.procedures(
      { level: filter?.level ?? undefined, field: filter?.field ?? undefined, search: filter?.search ?? undefined },
      pageSize(first),
      requireCursor(after),
    );
    return toConnection(page, (entity) => entity.code, toProcedure);
  }

  @Query(() => Procedure, { description: 'One procedure by its national code.' })
  async procedure(@Arg('code', () => String) code: string, @Ctx() { services }: HubContext): Promise<Procedure> {
    return toProcedure(await services.catalogue.procedure(code));
  }
}
