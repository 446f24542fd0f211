import {
  checkDocumentTypeReferences,
  checkRoleCoverage,
  parseAgencies,
  parseDocumentTypes,
  parseProcedureDefinitions,
  type AgencyDefinition,
  type CatalogueProblem,
} from '../domain/catalogue/catalogue-validation';
import type { ProcedureDefinition } from '../domain/catalogue/procedure-definition';
import type { DocumentTypeDefinition } from '../domain/documents/document-type';
import { InvalidInputError, isHubError } from '../domain/errors';

export const CATALOGUE_HELP = `  catalogue validate [FILE ...]
                   Check procedure catalogues (.json or .csv), agency lists and document types (.json);
                   lists every problem. Given procedures with agencies, also checks that every step role
                   is played by an agency; with document types, that every type they name exists.
                   Without files: the shipped reference/catalogue/ (procedures, agencies, document types).
  catalogue to-csv FILE.json OUT.csv
                   Write a procedure catalogue as CSV, one row per paper, to edit in a spreadsheet.
  catalogue from-csv FILE.csv OUT.json
                   Read such a CSV back, check it, and write the JSON catalogue.`;

export interface CatalogueIo {
  print(line: string): void;
  readFile(path: string): string;
  writeFile(path: string, text: string): void;
  /** What `validate` checks when given no file: the shipped catalogue, as paths `readFile` understands. */
  shippedFiles?: readonly string[];
}

/** What the command read and found valid, for callers that go on (e.g. an import into the store). */
export interface CatalogueCommandResult {
  procedures: ProcedureDefinition[];
  agencies: AgencyDefinition[];
  documentTypes: DocumentTypeDefinition[];
}

/** What `catalogue validate` checks when given no file (paths under the project root). */
export const SHIPPED_CATALOGUE_FILES = [
  'reference/catalogue/procedures.json',
  'reference/catalogue/agencies.json',
  'reference/catalogue/document-types.json',
] as const;

/**
 * CSV columns. One row per paper; the procedure columns repeat on every row of a procedure. List cells
 * hold one item per line, the parts of an item separated by " | ".
 */
export const CSV_COLUMNS = [
  'procedure_code',
  'procedure_name',
  'field',
  'level',
  'resolution_kind',
  'resolution_days',
  'resolution_cutoff',
  'resolution_due_same_day',
  'resolution_due_next_day',
  'resolution_note',
  'inter_agency',
  'boundary_free',
  'applicant_kinds',
  'result_document_type',
  'results',
  'fees',
  'steps',
  'component_code',
  'component_name',
  'component_kind',
  'component_quantity',
  'component_required',
  'component_document_type_code',
  'component_registry_source',
  'component_accepted_document_types',
] as const;
type Column = (typeof CSV_COLUMNS)[number];
type Row = Record<Column, string>;

type ComponentColumn = Extract<Column, `component_${string}`>;
type ProcedureColumn = Exclude<Column, ComponentColumn>;
const isComponentColumn = (c: Column): c is ComponentColumn => c.startsWith('component_');
const PROCEDURE_COLUMNS = CSV_COLUMNS.filter((c): c is ProcedureColumn => !isComponentColumn(c));
const COMPONENT_COLUMNS = CSV_COLUMNS.filter(isComponentColumn);
const PART_SEPARATOR = ' | ';
// Excel needs the byte-order mark to open UTF-8 (Vietnamese) text correctly.
const BOM = '\uFEFF';

function quote(cell: string): string {
  return /[",\r\n;]|^\s|\s$/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function formatCsv(rows: readonly (readonly string[])[]): string {
  return BOM + rows.map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
}

/** Parses CSV text; the delimiter is `,` or, as spreadsheets in Vietnamese locale write it, `;`. */
function parseCsvText(text: string): string[][] {
  const input = text.startsWith(BOM) ? text.slice(1) : text;
  const headerEnd = input.search(/\r?\n/);
  const header = headerEnd === -1 ? input : input.slice(0, headerEnd);
  const delimiter = header.includes(';') && !header.includes(',') ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (quoted) {
      if (ch === '"' && input[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === delimiter) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && input[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (quoted)
    throw new InvalidInputError('The CSV ends inside a quoted cell: a closing " is missing.', { reason: 'CATALOGUE.CSV_UNCLOSED_QUOTE' });
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

function joinParts(parts: readonly string[], where: string): string {
  for (const part of parts) {
    if (part.includes('|') || /[\r\n]/.test(part)) {
      throw new InvalidInputError(`${where}: "${part.slice(0, 40)}" contains "|" or a line break, which the CSV list format cannot hold.`, {
        reason: 'CATALOGUE.CSV_UNREPRESENTABLE',
      });
    }
  }
  return parts.join(PART_SEPARATOR);
}

function procedureCells(p: ProcedureDefinition): Record<ProcedureColumn, string> {
  const r = p.resolution;
  return {
    procedure_code: p.code,
    procedure_name: p.name,
    field: p.field,
    level: p.level,
    resolution_kind: r.kind,
    resolution_days: r.kind === 'working-days' ? String(r.days) : '',
    resolution_cutoff: r.kind === 'same-day' ? r.cutoff : '',
    resolution_due_same_day: r.kind === 'same-day' ? r.dueSameDay : '',
    resolution_due_next_day: r.kind === 'same-day' ? r.dueNextDay : '',
    resolution_note: p.resolutionNote ?? '',
    inter_agency: String(p.interAgency),
    boundary_free: String(p.boundaryFree),
    applicant_kinds: p.applicantKinds.join(','),
    result_document_type: p.resultDocumentType ?? '',
    results: p.results.map((result) => joinParts([result], `${p.code} results`)).join('\n'),
    fees: p.fees
      .map((f) => joinParts([f.name, f.amountVnd === null ? '' : String(f.amountVnd), f.note ?? ''], `${p.code} fees`))
      .join('\n'),
    steps: p.steps
      .map((s) =>
        joinParts(
          [s.code, s.name, s.agency.kind === 'role' ? s.agency.role : 'receiving-agency', String(s.workingDays)],
          `${p.code} steps`,
        ),
      )
      .join('\n'),
  };
}

export function proceduresToCsv(procedures: readonly ProcedureDefinition[]): string {
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const p of procedures) {
    const shared = procedureCells(p);
    const components = p.components.length ? p.components : [null];
    for (const c of components) {
      const row: Row = {
        ...shared,
        component_code: c?.code ?? '',
        component_name: c?.name ?? '',
        component_kind: c?.kind ?? '',
        component_quantity: c ? String(c.quantity) : '',
        component_required: c ? String(c.required) : '',
        component_document_type_code: c?.documentTypeCode ?? '',
        component_registry_source: c?.registrySource ?? '',
        component_accepted_document_types: (c?.acceptedDocumentTypes ?? []).join(','),
      };
      rows.push(CSV_COLUMNS.map((column) => row[column]));
    }
  }
  return formatCsv(rows);
}

/** Cells are typed loosely here; the domain validator then reports what is wrong, path by path. */
function loose(value: string): unknown {
  if (/^\d+$/.test(value)) return Number(value);
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return value;
}

const orNull = (value: string): string | null => (value === '' ? null : value);
const lines = (cell: string): string[] =>
  cell
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
/** A comma-separated cell (`CITIZEN,BUSINESS`); empty = none. */
const list = (cell: string): string[] =>
  cell
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
const parts = (line: string): string[] => line.split('|').map((part) => part.trim());

interface ProcedureRows {
  code: string;
  /** Spreadsheet row numbers (the header is row 1). */
  rows: number[];
  componentRows: number[];
}

export function proceduresFromCsv(text: string): ProcedureDefinition[] {
  const table = parseCsvText(text);
  const problems: string[] = [];
  const header = (table[0] ?? []).map((h) => h.trim());
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
  const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  if (missing.length) problems.push(`header: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  if (unknown.length)
    problems.push(
      `header: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (the columns are ${CSV_COLUMNS.join(', ')})`,
    );
  if (problems.length) throw csvError(problems);

  const index = new Map(header.map((h, i) => [h, i]));
  const groups = new Map<string, { meta: ProcedureRows; first: Row; components: Row[]; blankRows: number[] }>();
  table.slice(1).forEach((cells, i) => {
    const rowNumber = i + 2;
    if (cells.every((cell) => cell.trim() === '')) return; // blank rows a spreadsheet leaves behind
    const row = Object.fromEntries(CSV_COLUMNS.map((c) => [c, (cells[index.get(c)!] ?? '').trim()])) as Row;
    if (row.procedure_code === '') {
      problems.push(`row ${rowNumber}: procedure_code is empty`);
      return;
    }
    let group = groups.get(row.procedure_code);
    if (!group) {
      group = { meta: { code: row.procedure_code, rows: [], componentRows: [] }, first: row, components: [], blankRows: [] };
      groups.set(row.procedure_code, group);
    } else {
      for (const column of PROCEDURE_COLUMNS) {
        if (row[column] !== group.first[column]) {
          problems.push(
            `row ${rowNumber}, column ${column}: differs from row ${group.meta.rows[0]}, the first row of ${row.procedure_code}; procedure columns must be the same on every row of a procedure`,
          );
        }
      }
    }
    group.meta.rows.push(rowNumber);
    if (COMPONENT_COLUMNS.every((column) => row[column] === '')) {
      group.blankRows.push(rowNumber);
    } else {
      group.components.push(row);
      group.meta.componentRows.push(rowNumber);
    }
  });
  for (const { meta, blankRows } of groups.values()) {
    // A procedure without papers has one row with empty component columns; anywhere else such a row is a slip.
    if (meta.rows.length > 1) for (const row of blankRows) problems.push(`row ${row}: the component columns are empty`);
  }

  const metas: ProcedureRows[] = [];
  const raw = [...groups.values()].map(({ meta, first, components }) => {
    metas.push(meta);
    const where = `rows ${meta.rows[0]}–${meta.rows[meta.rows.length - 1]} (${meta.code})`;
    let resolution: Record<string, unknown> = { kind: first.resolution_kind };
    if (first.resolution_kind === 'working-days') {
      resolution = { kind: 'working-days', days: loose(first.resolution_days) };
      if (first.resolution_cutoff || first.resolution_due_same_day || first.resolution_due_next_day) {
        problems.push(`${where}: resolution_cutoff and resolution_due_* are for same-day procedures; leave them empty for working-days`);
      }
    } else if (first.resolution_kind === 'same-day') {
      resolution = {
        kind: 'same-day',
        cutoff: first.resolution_cutoff,
        dueSameDay: first.resolution_due_same_day,
        dueNextDay: first.resolution_due_next_day,
      };
      if (first.resolution_days) problems.push(`${where}: resolution_days is for working-days procedures; leave it empty for same-day`);
    }
    const fees = lines(first.fees).map((line, i) => {
      const p = parts(line);
      if (p.length !== 3) problems.push(`${where}, fees line ${i + 1}: expected "name | amount | note", got "${line.slice(0, 60)}"`);
      return { name: p[0], amountVnd: p[1] ? loose(p[1]) : null, note: orNull(p[2] ?? '') };
    });
    const steps = lines(first.steps).map((line, i) => {
      const p = parts(line);
      if (p.length !== 4)
        problems.push(
          `${where}, steps line ${i + 1}: expected "code | name | role or receiving-agency | working days", got "${line.slice(0, 60)}"`,
        );
      return {
        code: p[0],
        name: p[1],
        agency: p[2] === 'receiving-agency' ? { kind: 'receiving-agency' } : { kind: 'role', role: p[2] },
        workingDays: loose(p[3] ?? ''),
      };
    });
    return {
      code: first.procedure_code,
      name: first.procedure_name,
      field: first.field,
      level: first.level,
      resolution,
      resolutionNote: orNull(first.resolution_note),
      fees,
      components: components.map((c) => ({
        code: c.component_code,
        name: c.component_name,
        kind: c.component_kind,
        quantity: loose(c.component_quantity),
        required: loose(c.component_required),
        documentTypeCode: orNull(c.component_document_type_code),
        registrySource: orNull(c.component_registry_source),
        acceptedDocumentTypes: list(c.component_accepted_document_types),
      })),
      steps,
      interAgency: loose(first.inter_agency),
      boundaryFree: loose(first.boundary_free),
      results: lines(first.results),
      applicantKinds: list(first.applicant_kinds),
      resultDocumentType: orNull(first.result_document_type),
    };
  });
  // Row-level and content problems are reported together: the officer fixes the sheet once.
  try {
    const procedures = parseProcedureDefinitions(raw);
    if (problems.length) throw csvError(problems);
    return procedures;
  } catch (error) {
    if (!(error instanceof InvalidInputError) || error.reason !== 'CATALOGUE.INVALID_PROCEDURES') throw error;
    const found = (error.details?.problems ?? []) as CatalogueProblem[];
    throw csvError([...problems, ...found.map((problem) => locate(problem, metas))]);
  }
}

/** Turns a JSON path (`[3].components[2].kind`) into the spreadsheet rows an officer edits. */
function locate(problem: CatalogueProblem, metas: readonly ProcedureRows[]): string {
  const match = /^\[(\d+)\](?:\.components\[(\d+)\])?\.?(.*)$/.exec(problem.path);
  const meta = match ? metas[Number(match[1])] : undefined;
  if (!match || !meta) return `${problem.path}: ${problem.message}`;
  const componentRow = match[2] === undefined ? undefined : meta.componentRows[Number(match[2])];
  const where =
    componentRow === undefined
      ? `rows ${meta.rows[0]}–${meta.rows[meta.rows.length - 1]} (${meta.code})`
      : `row ${componentRow} (${meta.code})`;
  return `${where}${match[3] ? `, ${match[3]}` : ''}: ${problem.message}`;
}

function csvError(problems: readonly string[]): InvalidInputError {
  return new InvalidInputError(
    `The CSV has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    { reason: 'CATALOGUE.INVALID_CSV', details: { problems } },
  );
}

/** Same layout as the shipped files, so a round trip leaves them byte for byte unchanged. */
export function formatCatalogueJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function read(path: string, io: CatalogueIo): string {
  try {
    return io.readFile(path);
  } catch (error) {
    throw new InvalidInputError(`Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, {
      reason: 'CATALOGUE.UNREADABLE',
    });
  }
}

function readJson(path: string, io: CatalogueIo): unknown {
  const text = read(path, io);
  try {
    return JSON.parse(text.startsWith(BOM) ? text.slice(1) : text) as unknown;
  } catch (error) {
    throw new InvalidInputError(`${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, {
      reason: 'CATALOGUE.INVALID_JSON',
    });
  }
}

const isDocumentTypeFile = (json: unknown): boolean =>
  (typeof json === 'object' && json !== null && !Array.isArray(json) && 'documentTypes' in json) ||
  (Array.isArray(json) && typeof json[0] === 'object' && json[0] !== null && 'validity' in json[0]);

const isAgencyFile = (json: unknown): boolean =>
  (typeof json === 'object' && json !== null && !Array.isArray(json) && 'agencies' in json) ||
  (Array.isArray(json) && typeof json[0] === 'object' && json[0] !== null && 'roles' in json[0]);

/** Reads a procedure catalogue from .json or .csv and checks it. */
export function readProcedures(path: string, io: CatalogueIo): ProcedureDefinition[] {
  if (path.toLowerCase().endsWith('.csv')) return proceduresFromCsv(read(path, io));
  return parseProcedureDefinitions(readJson(path, io));
}

function summary(procedures: readonly ProcedureDefinition[]): string {
  const count = (test: (p: ProcedureDefinition) => boolean) => procedures.filter(test).length;
  const components = procedures.flatMap((p) => p.components);
  return (
    `${procedures.length} procedures valid: ${count((p) => p.components.length > 0)} with papers, ` +
    `${components.length} papers (${components.filter((c) => c.registrySource).length} readable from a registry, ` +
    `${components.filter((c) => c.acceptedDocumentTypes?.length).length} satisfiable by a held document), ` +
    `${count((p) => p.interAgency)} inter-agency, ${count((p) => p.boundaryFree)} boundary-free, ` +
    `${count((p) => Boolean(p.resultDocumentType))} issuing a reusable document`
  );
}

function usage(message: string): InvalidInputError {
  return new InvalidInputError(`${message}\nUsage:\n${CATALOGUE_HELP}`, { reason: 'CATALOGUE.USAGE' });
}

/**
 * `validate`, `to-csv` and `from-csv` over files; no database. Throws InvalidInputError listing every
 * problem found.
 */
export async function runCatalogueCommand(argv: string[], io: CatalogueIo): Promise<CatalogueCommandResult> {
  const [action, ...files] = argv;
  switch (action) {
    case 'validate': {
      if (!files.length) files.push(...(io.shippedFiles ?? []));
      if (!files.length) throw usage('catalogue validate: give at least one file.');
      const result: CatalogueCommandResult = { procedures: [], agencies: [], documentTypes: [] };
      const failures: string[] = [];
      for (const file of files) {
        try {
          const json = file.toLowerCase().endsWith('.csv') ? undefined : readJson(file, io);
          if (json !== undefined && isDocumentTypeFile(json)) {
            const documentTypes = parseDocumentTypes(json);
            result.documentTypes.push(...documentTypes);
            io.print(`${file}: ${documentTypes.length} document types valid`);
          } else if (json !== undefined && isAgencyFile(json)) {
            const agencies = parseAgencies(json);
            result.agencies.push(...agencies);
            io.print(`${file}: ${agencies.length} agencies valid`);
          } else {
            const procedures = json === undefined ? readProcedures(file, io) : parseProcedureDefinitions(json);
            result.procedures.push(...procedures);
            io.print(`${file}: ${summary(procedures)}`);
          }
        } catch (error) {
          if (!isHubError(error)) throw error;
          failures.push(`${file}: ${error.message}`);
        }
      }
      if (!failures.length && result.procedures.length && result.agencies.length) {
        try {
          checkRoleCoverage(result.procedures, result.agencies);
          io.print('every step role is played by an agency');
        } catch (error) {
          if (!isHubError(error)) throw error;
          failures.push(error.message);
        }
      }
      if (!failures.length && result.procedures.length && result.documentTypes.length) {
        try {
          checkDocumentTypeReferences(result.procedures, result.documentTypes);
          io.print('every document type a paper accepts or a procedure issues is known');
        } catch (error) {
          if (!isHubError(error)) throw error;
          failures.push(error.message);
        }
      }
      if (failures.length) throw new InvalidInputError(failures.join('\n'), { reason: 'CATALOGUE.INVALID' });
      return result;
    }
    case 'to-csv': {
      const [from, to] = files;
      if (!from || !to || files.length !== 2) throw usage('catalogue to-csv: give FILE.json and OUT.csv.');
      const json = readJson(from, io);
      if (isAgencyFile(json) || isDocumentTypeFile(json))
        throw usage(`catalogue to-csv: ${from} is an agency list or document types; only procedure catalogues convert to CSV.`);
      const procedures = parseProcedureDefinitions(json);
      io.writeFile(to, proceduresToCsv(procedures));
      io.print(`${to}: ${procedures.length} procedures, ${procedures.reduce((n, p) => n + Math.max(1, p.components.length), 0)} rows`);
      return { procedures, agencies: [], documentTypes: [] };
    }
    case 'from-csv': {
      const [from, to] = files;
      if (!from || !to || files.length !== 2) throw usage('catalogue from-csv: give FILE.csv and OUT.json.');
      const procedures = proceduresFromCsv(read(from, io));
      io.writeFile(to, formatCatalogueJson(procedures));
      io.print(`${to}: ${summary(procedures)}`);
      return { procedures, agencies: [], documentTypes: [] };
    }
    default:
      throw usage(action ? `catalogue: unknown action "${action}".` : 'catalogue: give an action.');
  }
}
