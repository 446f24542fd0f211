import { z } from 'zod';
import {
  formatShortDate,
  formatShortDateTime,
  formatVietnameseDate,
  formatVietnameseDateTime,
  formatVietnameseNumber,
  formatVietnameseTime,
  formatVnd,
} from './vietnamese-format';

/**
 * Template strings: literal text with `{{path | filter:argument | filter}}` placeholders. Paths are
 * dotted (`applicant.name`); inside a table or list they are relative to the row, where `#` is the
 * row's number and `.` the row itself; a page footer may also use `page` and `pages`.
 */

export type Segment = { literal: string } | { expression: Expression };

export interface Expression {
  source: string;
  path: string;
  filters: { name: string; arg: string | undefined }[];
}

const PATH = /^(?:#|\.|[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)$/;

/** Splits a template string; throws a message (no prefix) when it is malformed. */
export function parseTemplateString(template: string): Segment[] {
  const segments: Segment[] = [];
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    const strayClose = rest.indexOf('}}');
    if (strayClose !== -1 && (open === -1 || strayClose < open)) {
      throw new Error(`"}}" without a matching "{{" in "${template}"`);
    }
    if (open === -1) {
      segments.push({ literal: rest });
      break;
    }
    if (open > 0) segments.push({ literal: rest.slice(0, open) });
    const close = rest.indexOf('}}', open + 2);
    if (close === -1) throw new Error(`"{{" is never closed in "${template}"`);
    const source = rest.slice(open + 2, close);
    if (source.includes('{{')) throw new Error(`"{{" inside a placeholder in "${template}"`);
    segments.push({ expression: parseExpression(source) });
    rest = rest.slice(close + 2);
  }
  return segments;
}

function parseExpression(source: string): Expression {
  const [rawPath = '', ...rawFilters] = source.split('|');
  const path = rawPath.trim();
  if (path === '') throw new Error(`empty placeholder "{{${source}}}"`);
  if (!PATH.test(path)) throw new Error(`"${path}" is not a data path (letters, digits and dots, e.g. applicant.name)`);
  const filters = rawFilters.map((raw) => {
    const colon = raw.indexOf(':');
    const name = (colon === -1 ? raw : raw.slice(0, colon)).trim();
    const arg = colon === -1 ? undefined : raw.slice(colon + 1).trim();
    if (name === '') throw new Error(`empty filter in "{{${source}}}"`);
    return { name, arg };
  });
  return { source: `{{${source}}}`, path, filters };
}

// ---------------------------------------------------------------------------------------------
// Shapes: what a data path holds, read from the form's data schema.

export type Shape =
  | { kind: 'string' | 'number' | 'date' | 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'object'; fields: Record<string, Shape> }
  | { kind: 'array'; element: Shape };

export function shapeOf(schema: z.ZodTypeAny): Shape {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return shapeOf(schema.unwrap() as z.ZodTypeAny);
  if (schema instanceof z.ZodDefault) return shapeOf(schema.removeDefault() as z.ZodTypeAny);
  if (schema instanceof z.ZodEffects) return shapeOf(schema.innerType() as z.ZodTypeAny);
  if (schema instanceof z.ZodString) return { kind: 'string' };
  if (schema instanceof z.ZodNumber) return { kind: 'number' };
  if (schema instanceof z.ZodDate) return { kind: 'date' };
  if (schema instanceof z.ZodBoolean) return { kind: 'boolean' };
  if (schema instanceof z.ZodEnum) return { kind: 'enum', values: schema.options as string[] };
  if (schema instanceof z.ZodArray) return { kind: 'array', element: shapeOf(schema.element as z.ZodTypeAny) };
  if (schema instanceof z.ZodObject) {
    const fields: Record<string, Shape> = {};
    for (const [key, value] of Object.entries(schema.shape as Record<string, z.ZodTypeAny>)) fields[key] = shapeOf(value);
    return { kind: 'object', fields };
  }
  throw new Error(`form data schema uses an unsupported type (${schema.constructor.name})`);
}

/** `a string`, `an object`, `one of early, on-time, late`: for messages. */
export function describe(shape: Shape): string {
  if (shape.kind === 'enum') return `one of ${shape.values.join(', ')}`;
  if (shape.kind === 'array') return 'a list';
  if (shape.kind === 'object') return 'an object';
  return `a ${shape.kind}`;
}

export interface Scope {
  root: Shape;
  /** The row of the enclosing table or list, if any. */
  row?: Shape;
  /** Only page footers know page numbers. */
  pageNumbers?: boolean;
}

/** What a path holds in a scope; throws a message when it does not exist. */
export function resolveShape(path: string, scope: Scope): Shape {
  if (path === '#') {
    if (!scope.row) throw new Error('"#" (row number) is only available inside a table or list');
    return { kind: 'number' };
  }
  if (path === '.') {
    if (!scope.row) throw new Error('"." (the row itself) is only available inside a table or list');
    return scope.row;
  }
  if ((path === 'page' || path === 'pages') && scope.pageNumbers) return { kind: 'number' };
  let shape = scope.row ?? scope.root;
  const walked: string[] = [];
  for (const key of path.split('.')) {
    if (shape.kind === 'array') {
      throw new Error(`"${walked.join('.')}" is a list: show it with a table or list block (source "${walked.join('.')}")`);
    }
    if (shape.kind !== 'object') throw new Error(`"${walked.join('.')}" is ${describe(shape)}, it has no field "${key}"`);
    const next = shape.fields[key];
    if (!next) {
      const where = walked.length > 0 ? `"${walked.join('.')}"` : scope.row ? 'the row' : 'the form data';
      throw new Error(`unknown data path "${path}": ${where} has no field "${key}" (fields: ${Object.keys(shape.fields).join(', ')})`);
    }
    walked.push(key);
    shape = next;
  }
  return shape;
}

// ---------------------------------------------------------------------------------------------
// Filters.

export type Labels = Record<string, Record<string, string>>;

interface FilterContext {
  labels: Labels;
}

interface FilterSpec {
  description: string;
  arg: 'none' | 'required' | 'optional';
  /** Checks the input and returns the output shape; throws a message when the filter does not apply. */
  check(input: Shape, arg: string | undefined, labels: Labels): Shape;
  apply(value: unknown, arg: string | undefined, context: FilterContext): unknown;
}

const STRING: Shape = { kind: 'string' };
const NUMBER: Shape = { kind: 'number' };

function expectKind(input: Shape, kinds: Shape['kind'][], filter: string): void {
  if (!kinds.includes(input.kind)) throw new Error(`filter "${filter}" needs a ${kinds.join(' or ')}, got ${describe(input)}`);
}

const dateFilter = (name: string, description: string, format: (d: Date) => string): FilterSpec => ({
  description,
  arg: 'none',
  check: (input) => (expectKind(input, ['date'], name), STRING),
  apply: (value) => format(value as Date),
});

export const FILTERS: Record<string, FilterSpec> = {
  datetime: dateFilter('datetime', '09 giờ 30 phút, ngày 23 tháng 11 năm 2026', formatVietnameseDateTime),
  date: dateFilter('date', 'ngày 23 tháng 11 năm 2026', formatVietnameseDate),
  time: dateFilter('time', '09 giờ 30 phút', formatVietnameseTime),
  shortDate: dateFilter('shortDate', '23/11/2026', formatShortDate),
  shortDateTime: dateFilter('shortDateTime', '09:30 23/11/2026', formatShortDateTime),
  money: {
    description: '1.000.000 đồng',
    arg: 'none',
    check: (input) => (expectKind(input, ['number'], 'money'), STRING),
    apply: (value) => formatVnd(value as number),
  },
  number: {
    description: '1.000 (dot-grouped)',
    arg: 'none',
    check: (input) => (expectKind(input, ['number'], 'number'), STRING),
    apply: (value) => formatVietnameseNumber(value as number),
  },
  pad: {
    description: 'leading zeros to the given width: {{register.sequence|pad:4}} → 0125',
    arg: 'required',
    check: (input, arg) => {
      expectKind(input, ['number', 'string'], 'pad');
      if (!/^\d{1,2}$/.test(arg ?? '')) throw new Error(`filter "pad" needs a width such as pad:4, got "${arg}"`);
      return STRING;
    },
    apply: (value, arg) => String(value).padStart(Number(arg), '0'),
  },
  upper: {
    description: 'UPPER CASE (Vietnamese rules)',
    arg: 'none',
    check: (input) => (expectKind(input, ['string', 'enum'], 'upper'), STRING),
    apply: (value) => String(value).toLocaleUpperCase('vi'),
  },
  label: {
    description: 'the text for a code from the template\'s "labels" table: {{kind|label:paperKind}}',
    arg: 'required',
    check: (input, arg, labels) => {
      expectKind(input, ['string', 'enum', 'number'], 'label');
      const table = arg === undefined ? undefined : labels[arg];
      if (!table)
        throw new Error(`filter "label:${arg ?? ''}" names no table in "labels" (tables: ${Object.keys(labels).join(', ') || 'none'})`);
      if (input.kind === 'enum') {
        const missing = input.values.filter((v) => table[v] === undefined);
        if (missing.length > 0) throw new Error(`labels.${arg} has no text for ${missing.map((m) => `"${m}"`).join(', ')}`);
      }
      return STRING;
    },
    apply: (value, arg, { labels }) => labels[arg as string]?.[String(value)] ?? String(value),
  },
  sum: {
    description: 'total of a number field over a list: {{fees|sum:amountVnd|money}}',
    arg: 'required',
    check: (input, arg) => {
      expectKind(input, ['array'], 'sum');
      const element = (input as { element: Shape }).element;
      const field = element.kind === 'object' && arg !== undefined ? element.fields[arg] : undefined;
      if (!field || field.kind !== 'number') throw new Error(`filter "sum:${arg ?? ''}" needs a number field of the list's items`);
      return NUMBER;
    },
    apply: (value, arg) => (value as Record<string, number>[]).reduce((total, item) => total + (item[arg as string] ?? 0), 0),
  },
  count: {
    description: 'number of items in a list',
    arg: 'none',
    check: (input) => (expectKind(input, ['array'], 'count'), NUMBER),
    apply: (value) => (value as unknown[]).length,
  },
  join: {
    description: 'a list of texts joined with the argument (default ", "): {{coordinatingAgencies|join:; }}',
    arg: 'optional',
    check: (input) => {
      expectKind(input, ['array'], 'join');
      const element = (input as { element: Shape }).element;
      if (element.kind !== 'string' && element.kind !== 'enum') throw new Error('filter "join" needs a list of texts');
      return STRING;
    },
    apply: (value, arg) => (value as string[]).join(arg === undefined || arg === '' ? ', ' : arg),
  },
  default: {
    description: 'text printed when the value is empty: {{applicant.phone|default:không có}}',
    arg: 'required',
    check: (input) => input,
    apply: (value) => value,
  },
};

/** Checks an expression in a scope and returns the shape it yields; throws a message on the first problem. */
export function checkExpression(expression: Expression, scope: Scope, labels: Labels): Shape {
  let shape = resolveShape(expression.path, scope);
  for (const { name, arg } of expression.filters) {
    const filter = FILTERS[name];
    if (!filter) throw new Error(`unknown filter "${name}" in ${expression.source} (filters: ${Object.keys(FILTERS).join(', ')})`);
    if (filter.arg === 'none' && arg !== undefined) throw new Error(`filter "${name}" takes no argument in ${expression.source}`);
    if (filter.arg === 'required' && (arg === undefined || arg === '')) {
      throw new Error(`filter "${name}" needs an argument ("${name}:…") in ${expression.source}`);
    }
    try {
      shape = filter.check(shape, arg, labels);
    } catch (error) {
      throw new Error(`${(error as Error).message} in ${expression.source}`);
    }
  }
  return shape;
}

// ---------------------------------------------------------------------------------------------
// Evaluation.

export interface Values {
  root: unknown;
  row?: unknown;
  rowNumber?: number;
  page?: number;
  pages?: number;
}

export function lookup(path: string, values: Values): unknown {
  if (path === '#') return values.rowNumber;
  if (path === '.') return values.row;
  if (path === 'page' && values.page !== undefined) return values.page;
  if (path === 'pages' && values.pages !== undefined) return values.pages;
  let current: unknown = values.row !== undefined ? values.row : values.root;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const isEmpty = (value: unknown): boolean =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

function evaluate(expression: Expression, values: Values, labels: Labels): string {
  let value = lookup(expression.path, values);
  for (const { name, arg } of expression.filters) {
    if (name === 'default') {
      if (isEmpty(value)) value = arg;
      continue;
    }
    // An empty value stays empty: it is printed as a blank to fill in by hand.
    if (isEmpty(value)) continue;
    value = FILTERS[name]?.apply(value, arg, { labels });
  }
  if (isEmpty(value)) return '';
  return value instanceof Date ? formatVietnameseDateTime(value) : String(value);
}

/** The text of a parsed template string; `blank` stands in for empty placeholders when given. */
export function interpolate(segments: Segment[], values: Values, labels: Labels, blank = ''): string {
  return segments
    .map((segment) => ('literal' in segment ? segment.literal : evaluate(segment.expression, values, labels) || blank))
    .join('')
    .normalize('NFC');
}

/** Whether a path holds something worth printing (for `when` / `unless`). */
export function isPresent(path: string, values: Values): boolean {
  return !isEmpty(lookup(path, values));
}
