import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../domain/clock';
import { AGENCY_ROLE_KEYS, checkDocumentTypeReferences } from '../../domain/catalogue/catalogue-validation';
import type { ProcedureDefinition } from '../../domain/catalogue/procedure-definition';
import type { DocumentTypeDefinition } from '../../domain/documents/document-type';
import { InvalidInputError, NotFoundError } from '../../domain/errors';
import { shippedDocumentTypes } from '../../platform/document-types';
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

export interface AgencyFilter {
  level?: string | undefined;
  /** Agencies that play this role (`civil-status`, `land-registration-office`, ...). */
  role?: string | undefined;
  /** A 5-digit commune code: its agencies; a 2-digit province code: the province's agencies and its communes'. */
  adminUnitCode?: string | undefined;
  /** Case-insensitive match on name or code. */
  search?: string | undefined;
}

/**
 * How long a procedure or agency read from the database is reused. Reception reads both on every
 * dossier; they change only on import, which clears this process's copies at once. An import by
 * another process (the `hub` command, another replica) is seen within this time.
 */
const REFERENCE_DATA_TTL_MS = 30_000;

/** A row's values as read, for entities rebuilt in each request's EntityManager without a query. */
type Cached<T> = { data: T; until: number };

const procedureData = (p: ProcedureEntity) => ({
  code: p.code,
  name: p.name,
  field: p.field,
  level: p.level,
  resolutionWorkingDays: p.resolutionWorkingDays ?? null,
  sameDay: p.sameDay,
  definition: p.definition,
  updatedAt: p.updatedAt,
});

const agencyData = (a: AgencyEntity) => ({
  code: a.code,
  name: a.name,
  level: a.level,
  parentCode: a.parentCode ?? null,
  adminUnitCode: a.adminUnitCode ?? null,
  roles: a.roles,
  createdAt: a.createdAt,
});

const likePattern = (text: string): string => `%${text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;

/** Agencies, procedures and the document types their papers name: the catalogue the desks work from. */
export class CatalogueService {
  private readonly typesByCode: ReadonlyMap<string, DocumentTypeDefinition>;
  private readonly procedureRows = new Map<string, Cached<ReturnType<typeof procedureData>>>();
  private readonly agencyRows = new Map<string, Cached<ReturnType<typeof agencyData>>>();

  /** `documentTypes`: the vocabulary papers and results are named in (default: the shipped file). */
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    documentTypes: readonly DocumentTypeDefinition[] = shippedDocumentTypes(),
  ) {
    this.typesByCode = new Map(documentTypes.map((type) => [type.code, type]));
  }

  /** Every document type, in file order. */
  documentTypes(): DocumentTypeDefinition[] {
    return [...this.typesByCode.values()];
  }

  /** The document type with this code, or undefined. */
  findDocumentType(code: string): DocumentTypeDefinition | undefined {
    return this.typesByCode.get(code);
  }

  /** The document type with this code; NotFoundError (DOCUMENT_TYPE.NOT_FOUND) when there is none. */
  documentType(code: string): DocumentTypeDefinition {
    const found = this.typesByCode.get(code);
    if (!found) {
      throw new NotFoundError(`There is no document type "${code.slice(0, 48)}" in the catalogue.`, {
        reason: 'DOCUMENT_TYPE.NOT_FOUND',
      });
    }
    return found;
  }

  /**
   * Inserts or updates procedures by code (the whole definition is kept as data); returns how many were
   * written. Refuses a catalogue naming a document type this hub does not know (CATALOGUE.UNKNOWN_DOCUMENT_TYPE).
   */
  async importProcedures(definitions: readonly ProcedureDefinition[]): Promise<number> {
    checkDocumentTypeReferences(definitions, this.documentTypes());
    this.procedureRows.clear();
    return this.uow
      .run(async (em) => {
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
            updatedAt: this.clock.now(),
          };
          if (existing) em.assign(existing, values);
          else em.persist(em.create(ProcedureEntity, { code, ...values }));
        }
        return definitions.length;
      })
      .finally(() => this.procedureRows.clear());
  }

  async importAgencies(records: readonly AgencyRecord[]): Promise<number> {
    this.agencyRows.clear();
    return this.uow
      .run(async (em) => {
        // Parents first, so the self-reference holds whatever the input order.
        const ordered = [...records].sort((a, b) => Number(Boolean(a.parentCode)) - Number(Boolean(b.parentCode)));
        for (const record of ordered) {
          const existing = await em.findOne(AgencyEntity, { code: record.code });
          const values = { ...record, roles: record.roles ?? [] };
          if (existing) em.assign(existing, values);
          else em.persist(em.create(AgencyEntity, { ...values, createdAt: this.clock.now() }));
          await em.flush();
        }
        return records.length;
      })
      .finally(() => this.agencyRows.clear());
  }

  /** The catalogue as stored, in the import format. */
  async exportProcedures(): Promise<ProcedureDefinition[]> {
    const procedures = await this.uow.reader().find(ProcedureEntity, {}, { orderBy: { code: 'asc' } });
    return procedures.map((p) => p.definition as unknown as ProcedureDefinition);
  }

  /** A procedure of the catalogue, managed by `em` (from the copy in memory when one is fresh: no query). */
  async procedure(code: string, em: EntityManager = this.uow.reader()): Promise<ProcedureEntity> {
    requireProcedureCode(code);
    const data = await this.cachedRow(this.procedureRows, code, async () => {
      // Through `em`: inside a use case's transaction, a second connection may not be free (the embedded store has one).
      const found = await em.findOne(ProcedureEntity, { code });
      return found && procedureData(found);
    });
    if (!data) {
      throw new NotFoundError(`There is no procedure with code "${code.slice(0, 40)}" in the catalogue.`, {
        reason: 'PROCEDURE.NOT_FOUND',
      });
    }
    return em.merge(ProcedureEntity, data);
  }

  /** An agency, managed by `em` (from the copy in memory when one is fresh: no query). */
  async agency(code: string, em: EntityManager = this.uow.reader()): Promise<AgencyEntity> {
    const data = await this.cachedRow(this.agencyRows, code, async () => {
      const found = await em.findOne(AgencyEntity, { code });
      return found && agencyData(found);
    });
    if (!data) {
      throw new NotFoundError(`There is no agency with code "${code.slice(0, 40)}".`, { reason: 'AGENCY.NOT_FOUND' });
    }
    return em.merge(AgencyEntity, data);
  }

  /** A row from the copies in memory, or read (and kept; an unknown code is not kept, so an import shows at once). */
  private async cachedRow<T>(rows: Map<string, Cached<T>>, code: string, read: () => Promise<T | null>): Promise<T | null> {
    const now = this.clock.now().getTime();
    const kept = rows.get(code);
    if (kept && kept.until > now) return kept.data;
    const data = await read();
    if (data) rows.set(code, { data, until: now + REFERENCE_DATA_TTL_MS });
    else rows.delete(code);
    return data;
  }

  async procedures(filter: ProcedureFilter, first: number, afterCode?: string): Promise<Page<ProcedureEntity>> {
    const em = this.uow.reader();
    const where: Record<string, unknown> = {};
    if (filter.level) where.level = filter.level;
    if (filter.field) where.field = filter.field;
    if (filter.search) {
      const pattern = likePattern(filter.search);
      where.$or = [{ name: { $ilike: pattern } }, { code: { $ilike: pattern } }];
    }
    const totalCount = await em.count(ProcedureEntity, where);
    const pageWhere = afterCode ? { $and: [where, { code: { $gt: afterCode } }] } : where;
    const items = await em.find(ProcedureEntity, pageWhere, { orderBy: { code: 'asc' }, limit: first + 1 });
    return { items: items.slice(0, first), hasNextPage: items.length > first, totalCount };
  }

  /** Agencies by code (Relay page), filtered by level, role, administrative unit and name. */
  async agencies(filter: AgencyFilter, first: number, afterCode?: string): Promise<Page<AgencyEntity>> {
    if (filter.role !== undefined && !(AGENCY_ROLE_KEYS as readonly string[]).includes(filter.role)) {
      throw new InvalidInputError(`"${filter.role.slice(0, 40)}" is not a role; the roles are ${AGENCY_ROLE_KEYS.join(', ')}.`, {
        reason: 'AGENCY.UNKNOWN_ROLE',
      });
    }
    if (filter.adminUnitCode !== undefined && !/^(\d{2}|\d{5})$/.test(filter.adminUnitCode)) {
      throw new InvalidInputError('adminUnitCode is a 2-digit province code or a 5-digit commune code (2025 codes).', {
        reason: 'AGENCY.INVALID_ADMIN_UNIT',
      });
    }
    const em = this.uow.reader();
    const and: Record<string, unknown>[] = [];
    if (filter.level) and.push({ level: filter.level });
    if (filter.role) and.push({ roles: { $contains: [filter.role] } });
    if (filter.adminUnitCode) and.push(await this.inAdminUnit(em, filter.adminUnitCode));
    if (filter.search) {
      const pattern = likePattern(filter.search);
      and.push({ $or: [{ name: { $ilike: pattern } }, { code: { $ilike: pattern } }] });
    }
    const where = and.length ? { $and: and } : {};
    const totalCount = await em.count(AgencyEntity, where);
    const pageWhere = afterCode ? { $and: [...and, { code: { $gt: afterCode } }] } : where;
    const items = await em.find(AgencyEntity, pageWhere, { orderBy: { code: 'asc' }, limit: first + 1 });
    return { items: items.slice(0, first), hasNextPage: items.length > first, totalCount };
  }

  /**
   * A commune code names its own agencies. A province code names the province's and, through the
   * parent chain, the communes' under them: commune codes do not carry the province's digits.
   */
  private async inAdminUnit(em: EntityManager, adminUnitCode: string): Promise<Record<string, unknown>> {
    if (adminUnitCode.length !== 2) return { adminUnitCode };
    type Link = Pick<AgencyEntity, 'code' | 'parentCode' | 'adminUnitCode' | 'level'>;
    const all: Link[] = await em.find(AgencyEntity, {}, { fields: ['code', 'parentCode', 'adminUnitCode', 'level'] });
    const byCode = new Map(all.map((agency) => [agency.code, agency]));
    const provinceOf = (agency: Link): string | null | undefined => {
      const seen = new Set<string>();
      for (let at: Link | undefined = agency; at && !seen.has(at.code); at = at.parentCode ? byCode.get(at.parentCode) : undefined) {
        seen.add(at.code);
        if (at.level === 'province') return at.adminUnitCode;
      }
      return undefined;
    };
    const codes = all.filter((agency) => provinceOf(agency) === adminUnitCode).map((agency) => agency.code);
    return { code: { $in: codes } };
  }
}
