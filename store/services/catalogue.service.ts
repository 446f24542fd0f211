import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProcedureDefinition } from '../../domain/catalogue/procedure-definition';
import { NotFoundError } from '../../domain/errors';
import { requireProcedureCode } from '../../domain/procedure-code';
import { AgencyEntity, ProcedureEntity } from '../entities';
import type { UnitOfWork } from '../unit-of-work';

export interface AgencyRecord {
  code: string;
  name: string;
  level: string;
  parentCode?: string | null;
  adminUnitCode?: string | null;
  /** What the agency does in procedures' steps. */
  roles?: string[];
}

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  totalCount: number;
}

export interface ProcedureFilter {
  level?: string | undefined;
  field?: string | undefined;
  /** Case-insensitive match on name or code. */
  search?: string | undefined;
}

/** Agencies and procedures: the catalogue the desks work from. */
export class CatalogueService {
  constructor(private readonly uow: UnitOfWork) {}

  /** Inserts or updates procedures by code (the whole definition is kept as data); returns how many were written. */
  async importProcedures(definitions: readonly ProcedureDefinition[]): Promise<number> {
    return this.uow.run(async (em) => {
      for (const definition of definitions) {
        const { code, name, field, level, resolution } = definition;
        const existing = await em.findOne(ProcedureEntity, { code });
        const values = {
          name,
          field,
          level,
          resolutionWorkingDays: resolution.kind === 'working-days' ? resolution.days : null,
          sameDay: resolution.kind === 'same-day',
          definition: definition as unknown as Record<string, unknown>,
          updatedAt: new Date(),
        };
        if (existing) em.assign(existing, values);
        else em.persist(em.create(ProcedureEntity, { code, ...values }));
      }
      return definitions.length;
    });
  }

  async importAgencies(records: readonly AgencyRecord[]): Promise<number> {
    return this.uow.run(async (em) => {
      // Parents first, so the self-reference holds whatever the input order.
      const ordered = [...records].sort((a, b) => Number(Boolean(a.parentCode)) - Number(Boolean(b.parentCode)));
      for (const record of ordered) {
        const existing = await em.findOne(AgencyEntity, { code: record.code });
        const values = { ...record, roles: record.roles ?? [] };
        if (existing) em.assign(existing, values);
        else em.persist(em.create(AgencyEntity, { ...values, createdAt: new Date() }));
        await em.flush();
      }
      return records.length;
    });
  }

  /** The catalogue as stored, in the import format. */
  async exportProcedures(): Promise<ProcedureDefinition[]> {
    const procedures = await this.uow.reader().find(ProcedureEntity, {}, { orderBy: { code: 'asc' } });
    return procedures.map((p) => p.definition as unknown as ProcedureDefinition);
  }

  async procedure(code: string, em: EntityManager = this.uow.reader()): Promise<ProcedureEntity> {
    requireProcedureCode(code);
    const found = await em.findOne(ProcedureEntity, { code });
    if (!found) {
      throw new NotFoundError(`There is no procedure with code "${code.slice(0, 40)}" in the catalogue.`, {
        reason: 'PROCEDURE.NOT_FOUND',
      });
    }
    return found;
  }

  async agency(code: string, em: EntityManager = this.uow.reader()): Promise<AgencyEntity> {
    const found = await em.findOne(AgencyEntity, { code });
    if (!found) {
      throw new NotFoundError(`There is no agency with code "${code.slice(0, 40)}".`, { reason: 'AGENCY.NOT_FOUND' });
    }
    return found;
  }

  async procedures(filter: ProcedureFilter, first: number, afterCode?: string): Promise<Page<ProcedureEntity>> {
    const em = this.uow.reader();
    const where: Record<string, unknown> = {};
    if (filter.level) where.level = filter.level;
    if (filter.field) where.field = filter.field;
    if (filter.search) {
      const pattern = `%${filter.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
      where.$or = [{ name: { $ilike: pattern } }, { code: { $ilike: pattern } }];
    }
    const totalCount = await em.count(ProcedureEntity, where);
    const pageWhere = afterCode ? { $and: [where, { code: { $gt: afterCode } }] } : where;
    const items = await em.find(ProcedureEntity, pageWhere, { orderBy: { code: 'asc' }, limit: first + 1 });
    return { items: items.slice(0, first), hasNextPage: items.length > first, totalCount };
  }
}
