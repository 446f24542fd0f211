import type { AgencyEntity } from '../store/entities/agency.entity';
import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { ComponentRequirement, ProcedureDefinition } from '../domain/catalogue/procedure-definition';
import { paperCondition } from '../domain/catalogue/paper-condition';
import type { DocumentTypeDefinition } from '../domain/documents/document-type';
import type { ProcedureEntity } from '../store/entities';
import type { HubContext } from './context';
import { toAgency, toProcedure } from './dossier.mapper';
import { pageSize, requireCursor } from './dossier.resolver';
import { toConnection } from './types/connection.type';
import {
  Agency,
  AgencyConnection,
  DocumentType,
  DocumentValidityKind,
  Fee,
  Paper,
  PaperKind,
  Procedure,
  ProcedureConnection,
  ProcedureStep,
  RegistrySource,
} from './types/catalogue.type';
import { AgencyFilterInput } from './types/agency.input';
import { ProcedureFilterInput } from './types/dossier.input';

function toDocumentType(type: DocumentTypeDefinition): DocumentType {
  const { validity } = type;
  return {
    code: type.code,
    name: type.name,
    nameEn: type.nameEn,
    ownerKinds: [...type.ownerKinds],
    validity: {
      kind: validity.kind as DocumentValidityKind,
      months: validity.kind === 'expires-after-months' ? validity.months : null,
      days: validity.kind === 'expires-after-days' ? validity.days : null,
    },
    supersededByNewer: type.supersededByNewer,
    registrySource: type.registrySource as RegistrySource | null,
    source: type.source,
    note: type.note ?? null,
  };
}

/** The procedure with its catalogue record, so papers, fees and steps need no second read. */
function toCatalogueProcedure(entity: ProcedureEntity): Procedure {
  return { ...toProcedure(entity), definition: entity.definition as unknown as ProcedureDefinition };
}

@Resolver(() => Procedure)
export class CatalogueResolver {
  @Query(() => ProcedureConnection, { description: 'The procedure catalogue, by code (Relay connection). Public.' })
  async procedures(
    @Ctx() { services, authorize }: HubContext,
    @Arg('filter', () => ProcedureFilterInput, { nullable: true }) filter?: ProcedureFilterInput | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<ProcedureConnection> {
    authorize({ action: 'catalogue.read' });
    const page = await services.catalogue.procedures(
      { level: filter?.level ?? undefined, field: filter?.field ?? undefined, search: filter?.search ?? undefined },
      pageSize(first),
      requireCursor(after),
    );
    return toConnection(page, (entity) => entity.code, toCatalogueProcedure);
  }

  @Query(() => Procedure, { description: 'One procedure by its national code. Public.' })
  async procedure(@Arg('code', () => String) code: string, @Ctx() { services, authorize }: HubContext): Promise<Procedure> {
    authorize({ action: 'catalogue.read' });
    return toCatalogueProcedure(await services.catalogue.procedure(code));
  }

  @Query(() => [DocumentType], { description: 'The kinds of state-issued papers the catalogue names, with their validity rules. Public.' })
  documentTypes(@Ctx() { services, authorize }: HubContext): DocumentType[] {
    authorize({ action: 'catalogue.read' });
    return services.catalogue.documentTypes().map(toDocumentType);
  }

  @Query(() => AgencyConnection, { description: 'Desks and competent agencies, by code (Relay connection). Public.' })
  async agencies(
    @Ctx() { services, authorize }: HubContext,
    @Arg('filter', () => AgencyFilterInput, { nullable: true }) filter?: AgencyFilterInput | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<AgencyConnection> {
    authorize({ action: 'catalogue.read' });
    const page = await services.catalogue.agencies(
      {
        level: filter?.level ?? undefined,
        role: filter?.role ?? undefined,
        adminUnitCode: filter?.adminUnitCode ?? undefined,
        search: filter?.search ?? undefined,
      },
      pageSize(first),
      requireCursor(after),
    );
    return toConnection(page, (entity) => entity.code, toCatalogueAgency);
  }

  @Query(() => Agency, { description: 'One agency by its e-identifier code. Public.' })
  async agency(@Arg('code', () => String) code: string, @Ctx() { services, authorize }: HubContext): Promise<Agency> {
    authorize({ action: 'catalogue.read' });
    return toCatalogueAgency(await services.catalogue.agency(code));
  }

  @FieldResolver(() => [Paper], { description: 'The papers to hand in, C01, C02, ... in catalogue order.' })
  async papers(@Root() procedure: Procedure, @Ctx() { services }: HubContext): Promise<Paper[]> {
    const definition = await definitionOf(procedure, services);
    return definition.components.map((component) => toPaper(component, services.catalogue));
  }

  @FieldResolver(() => [Fee])
  async fees(@Root() procedure: Procedure, @Ctx() { services }: HubContext): Promise<Fee[]> {
    return (await definitionOf(procedure, services)).fees.map((fee) => ({ name: fee.name, amountVnd: fee.amountVnd, note: fee.note }));
  }

  @FieldResolver(() => [ProcedureStep], { description: 'The processing steps in order, with who takes each and its working days.' })
  async steps(@Root() procedure: Procedure, @Ctx() { services }: HubContext): Promise<ProcedureStep[]> {
    return (await definitionOf(procedure, services)).steps.map((step) => ({
      code: step.code,
      name: step.name,
      agencyKind: step.agency.kind === 'role' ? 'ROLE' : 'RECEIVING_AGENCY',
      role: step.agency.kind === 'role' ? step.agency.role : null,
      workingDays: step.workingDays,
    }));
  }

  @FieldResolver(() => DocumentType, {
    nullable: true,
    description:
      "The type of document its result is, entering the applicant's vault when signed; null when the result is no reusable document.",
  })
  async resultDocumentType(@Root() procedure: Procedure, @Ctx() { services }: HubContext): Promise<DocumentType | null> {
    const code = (await definitionOf(procedure, services)).resultDocumentType;
    const type = code ? services.catalogue.findDocumentType(code) : undefined;
    return type ? toDocumentType(type) : null;
  }
}

type Services = HubContext['services'];

/** A Procedure reached through a dossier carries no definition: read it once from the catalogue. */
async function definitionOf(procedure: Procedure, services: Services): Promise<ProcedureDefinition> {
  procedure.definition ??= (await services.catalogue.procedure(procedure.code)).definition as unknown as ProcedureDefinition;
  return procedure.definition;
}

function toPaper(component: ComponentRequirement, catalogue: Services['catalogue']): Paper {
  return {
    code: component.code,
    name: component.name,
    kind: component.kind as PaperKind,
    quantity: component.quantity,
    required: component.required,
    condition: component.required ? null : paperCondition(component.name),
    acceptedDocumentTypes: (component.acceptedDocumentTypes ?? [])
      .map((code) => catalogue.findDocumentType(code))
      .filter((type): type is DocumentTypeDefinition => type !== undefined)
      .map(toDocumentType),
    registrySource: component.registrySource as RegistrySource | null,
  };
}

function toCatalogueAgency(entity: AgencyEntity): Agency {
  return { ...toAgency(entity), parentCode: entity.parentCode ?? null, roles: [...entity.roles] };
}
