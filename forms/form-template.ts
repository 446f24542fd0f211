import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigurationError } from '../domain/errors';
import { fromProjectRoot } from '../platform/paths';
import { FORM_DATA_SCHEMAS, FORM_IDS, type FormId, isFormId } from './form-data';
import {
  checkExpression,
  describe,
  parseTemplateString,
  resolveShape,
  type Labels,
  type Scope,
  type Shape,
  shapeOf,
} from './template-expressions';

/**
 * A form template is data (forms/templates/form-NN.json): an agency edits headings, wording, labels
 * and layout without a release. Lengths are millimetres, font sizes points. forms/README.md documents
 * every key; `validateTemplate` reports every problem with its place in the file.
 */

export const TEMPLATE_FORMAT_VERSION = 1;

const mm = (max: number) => z.number().nonnegative().max(max);
const fontSize = z.number().min(5).max(30);
const str = z.string();
const nonEmpty = z.string().min(1, 'must not be empty');
const align = z.enum(['left', 'center', 'right', 'justify']);
/** A data path tested by `when` / `unless`. */
const condition = z.string().min(1).optional();

const blockBase = {
  when: condition,
  unless: condition,
  /** Extra space above the block, mm. */
  spaceBefore: mm(100).optional(),
};

const line = z
  .object({
    text: str,
    bold: z.boolean().optional(),
    italic: z.boolean().optional(),
    size: fontSize.optional(),
    /** A rule under the line, as under the agency name and the motto: true = as long as the text, or a share of it. */
    rule: z.union([z.boolean(), z.number().min(0.1).max(1)]).optional(),
  })
  .strict();

const mastheadBlock = z
  .object({
    type: z.literal('masthead'),
    ...blockBase,
    left: z.array(line),
    right: z.array(line),
    /** Share of the width taken by the left column. */
    leftWidth: z.number().min(0.2).max(0.8).optional(),
    size: fontSize.optional(),
  })
  .strict();

const titleBlock = z.object({ type: z.literal('title'), ...blockBase, text: nonEmpty, size: fontSize.optional() }).strict();

const paragraphBlock = z
  .object({
    type: z.literal('paragraph'),
    ...blockBase,
    text: str,
    align: align.optional(),
    bold: z.boolean().optional(),
    italic: z.boolean().optional(),
    size: fontSize.optional(),
    indent: mm(100).optional(),
  })
  .strict();

const field = z
  .object({
    label: str,
    value: str,
    /** Leave the line out when the value is empty instead of printing a blank to fill in. */
    omitIfEmpty: z.boolean().optional(),
    /** In a fieldRow: relative width (default 1). */
    width: z.number().positive().optional(),
  })
  .strict();

const fieldBlock = z
  .object({ type: z.literal('field'), ...blockBase, ...field.shape, indent: mm(100).optional(), size: fontSize.optional() })
  .strict();

const fieldRowBlock = z
  .object({
    type: z.literal('fieldRow'),
    ...blockBase,
    fields: z.array(field).min(1).max(4),
    indent: mm(100).optional(),
    size: fontSize.optional(),
  })
  .strict();

const listBlock = z
  .object({
    type: z.literal('list'),
    ...blockBase,
    /** Data path of the list. */
    source: nonEmpty,
    /** Text of each item; paths are relative to the item. */
    item: nonEmpty,
    /** Second line of each item, indented. */
    detail: str.optional(),
    numbered: z.boolean().optional(),
    indent: mm(100).optional(),
    size: fontSize.optional(),
    /** Printed when the list is empty. */
    empty: str.optional(),
  })
  .strict();

const column = z
  .object({
    heading: nonEmpty,
    value: str,
    /** Relative width: the columns share the line in proportion. */
    width: z.number().positive(),
    align: z.enum(['left', 'center', 'right']).optional(),
    /** Consecutive columns with the same group share a heading cell above theirs. */
    group: nonEmpty.optional(),
    /** Keep the value on one line, shrinking the type if needed (codes, dates). */
    nowrap: z.boolean().optional(),
  })
  .strict();

const tableBlock = z
  .object({
    type: z.literal('table'),
    ...blockBase,
    source: nonEmpty,
    columns: z.array(column).min(1),
    size: fontSize.optional(),
    /** Header background, `#rrggbb`. */
    headerFill: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour such as #eeeeee')
      .optional(),
    empty: str.optional(),
  })
  .strict();

const codesBlock = z
  .object({
    type: z.literal('codes'),
    ...blockBase,
    /** Text of the Code 128 barcode. */
    barcode: nonEmpty,
    /** Text of the QR code (a look-up address, or the code itself). */
    qr: nonEmpty,
    barcodeWidth: mm(200),
    barcodeHeight: mm(60),
    qrSize: mm(100),
    /** Text printed under the barcode, e.g. `Mã hồ sơ: {{dossier.code}}`. */
    caption: str.optional(),
    align: z.enum(['left', 'center', 'right']).optional(),
  })
  .strict();

const signatureColumn = z
  .object({
    title: str.optional(),
    note: str.optional(),
    name: str.optional(),
    /** Left-aligned small lines instead of a signature, e.g. "Nơi nhận:". */
    lines: z.array(str).optional(),
  })
  .strict();

const signaturesBlock = z
  .object({
    type: z.literal('signatures'),
    ...blockBase,
    columns: z.array(signatureColumn).min(1).max(4),
    /** Room left for the signature and seal, mm. */
    space: mm(80).optional(),
    size: fontSize.optional(),
  })
  .strict();

const footnotesBlock = z
  .object({ type: z.literal('footnotes'), ...blockBase, items: z.array(str).min(1), size: fontSize.optional() })
  .strict();

const spacerBlock = z.object({ type: z.literal('spacer'), ...blockBase, height: mm(200) }).strict();

const block = z.discriminatedUnion('type', [
  mastheadBlock,
  titleBlock,
  paragraphBlock,
  fieldBlock,
  fieldRowBlock,
  listBlock,
  tableBlock,
  codesBlock,
  signaturesBlock,
  footnotesBlock,
  spacerBlock,
]);

export const BLOCK_TYPES = block.options.map((option) => option.shape.type.value);

const templateSchema = z
  .object({
    formatVersion: z.literal(TEMPLATE_FORMAT_VERSION),
    number: z.enum(FORM_IDS),
    name: nonEmpty,
    paper: z.enum(['A4', 'A5']),
    orientation: z.enum(['portrait', 'landscape']),
    margins: z.object({ top: mm(60), right: mm(60), bottom: mm(60), left: mm(60) }).strict(),
    fontSize: fontSize,
    /** Extra space between lines, points. */
    lineGap: z.number().min(0).max(10).optional(),
    /** Printed for an empty value so the officer can fill it in by hand. */
    blank: str.optional(),
    labels: z.record(z.record(str)).optional(),
    /** One line at the foot of every page; may use {{page}} and {{pages}}. */
    pageFooter: str.optional(),
    blocks: z.array(block).min(1),
  })
  .strict();

export type FormTemplate = z.infer<typeof templateSchema>;
export type TemplateBlock = z.infer<typeof block>;
export type TemplateLine = z.infer<typeof line>;
export type TableColumn = z.infer<typeof column>;
export type SignatureColumn = z.infer<typeof signatureColumn>;

export type TemplateResult = { ok: true; template: FormTemplate } | { ok: false; problems: string[] };

const formatPath = (segments: (string | number)[]): string =>
  segments.reduce<string>((out, segment) => (typeof segment === 'number' ? `${out}[${segment}]` : out ? `${out}.${segment}` : segment), '');

/**
 * Every problem in a template, each as `where: what`, e.g.
 * `blocks[4].columns[2].value: unknown filter "monye" in {{amountVnd|monye}} (filters: ...)`.
 * `expected` is the form the file is meant for (from its name), checked against `number`.
 */
export function validateTemplate(raw: unknown, expected?: FormId): TemplateResult {
  const parsed = templateSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => `${formatPath(issue.path) || '(template)'}: ${issue.message}`) };
  }
  const template = parsed.data;
  const problems: string[] = [];
  if (expected !== undefined && template.number !== expected) {
    problems.push(`number: the file is for form ${expected} but says "${template.number}"`);
  }
  const root = shapeOf(FORM_DATA_SCHEMAS[template.number]);
  const labels: Labels = template.labels ?? {};

  const checkString = (where: string, value: string | undefined, scope: Scope): void => {
    if (value === undefined) return;
    try {
      for (const segment of parseTemplateString(value)) {
        if ('expression' in segment) {
          const shape = checkExpression(segment.expression, scope, labels);
          if (shape.kind === 'array' || shape.kind === 'object') {
            throw new Error(
              `${segment.expression.source} is a ${shape.kind === 'array' ? 'list' : 'group of fields'}, not a value to print`,
            );
          }
        }
      }
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
  };
  const checkPath = (where: string, dataPath: string | undefined, scope: Scope): Shape | undefined => {
    if (dataPath === undefined) return undefined;
    try {
      return resolveShape(dataPath, scope);
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
      return undefined;
    }
  };
  const rowScope = (where: string, source: string): Scope | undefined => {
    const shape = checkPath(where, source, { root });
    if (!shape) return undefined;
    if (shape.kind !== 'array') {
      problems.push(`${where}: "${source}" is ${describe(shape)}, not a list`);
      return undefined;
    }
    return { root, row: shape.element };
  };

  const rootScope: Scope = { root };
  checkString('pageFooter', template.pageFooter, { root, pageNumbers: true });
  template.blocks.forEach((b, i) => {
    const at = `blocks[${i}]`;
    checkPath(`${at}.when`, b.when, rootScope);
    checkPath(`${at}.unless`, b.unless, rootScope);
    switch (b.type) {
      case 'masthead':
        b.left.forEach((l, j) => checkString(`${at}.left[${j}].text`, l.text, rootScope));
        b.right.forEach((l, j) => checkString(`${at}.right[${j}].text`, l.text, rootScope));
        break;
      case 'title':
      case 'paragraph':
        checkString(`${at}.text`, b.text, rootScope);
        break;
      case 'field':
        checkString(`${at}.label`, b.label, rootScope);
        checkString(`${at}.value`, b.value, rootScope);
        break;
      case 'fieldRow':
        b.fields.forEach((f, j) => {
          checkString(`${at}.fields[${j}].label`, f.label, rootScope);
          checkString(`${at}.fields[${j}].value`, f.value, rootScope);
        });
        break;
      case 'list': {
        const scope = rowScope(`${at}.source`, b.source);
        if (scope) {
          checkString(`${at}.item`, b.item, scope);
          checkString(`${at}.detail`, b.detail, scope);
        }
        checkString(`${at}.empty`, b.empty, rootScope);
        break;
      }
      case 'table': {
        const scope = rowScope(`${at}.source`, b.source);
        b.columns.forEach((c, j) => {
          checkString(`${at}.columns[${j}].heading`, c.heading, rootScope);
          if (scope) checkString(`${at}.columns[${j}].value`, c.value, scope);
        });
        const groups = b.columns.map((c) => c.group);
        groups.forEach((g, j) => {
          if (g !== undefined && groups.indexOf(g) !== j && groups[j - 1] !== g) {
            problems.push(`${at}.columns[${j}].group: the columns of group "${g}" must be next to each other`);
          }
        });
        checkString(`${at}.empty`, b.empty, rootScope);
        break;
      }
      case 'codes':
        checkString(`${at}.barcode`, b.barcode, rootScope);
        checkString(`${at}.qr`, b.qr, rootScope);
        checkString(`${at}.caption`, b.caption, rootScope);
        break;
      case 'signatures':
        b.columns.forEach((c, j) => {
          checkString(`${at}.columns[${j}].title`, c.title, rootScope);
          checkString(`${at}.columns[${j}].note`, c.note, rootScope);
          checkString(`${at}.columns[${j}].name`, c.name, rootScope);
          c.lines?.forEach((l, k) => checkString(`${at}.columns[${j}].lines[${k}]`, l, rootScope));
        });
        break;
      case 'footnotes':
        b.items.forEach((item, j) => checkString(`${at}.items[${j}]`, item, rootScope));
        break;
      case 'spacer':
        break;
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, template };
}

export const DEFAULT_TEMPLATES_DIR = (): string => fromProjectRoot('forms', 'templates');

export const templateFileName = (formId: FormId): string => `form-${formId}.json`;

/**
 * Reads and validates a form's template. Read on every call, so an edited template applies to the
 * next form printed; a broken one fails with every problem listed.
 */
export function loadTemplate(formId: FormId, templatesDir: string = DEFAULT_TEMPLATES_DIR()): FormTemplate {
  if (!isFormId(formId)) throw new ConfigurationError(`There is no form "${String(formId)}" (forms: ${FORM_IDS.join(', ')}).`);
  const file = path.join(templatesDir, templateFileName(formId));
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (error as Error).message;
    throw new ConfigurationError(`Form template ${file} cannot be read: ${why}.`, {
      reason: 'FORM_TEMPLATE.UNREADABLE',
      details: { file },
      cause: error,
    });
  }
  const result = validateTemplate(raw, formId);
  if (!result.ok) {
    throw new ConfigurationError(`Form template ${file} is invalid:\n  ${result.problems.join('\n  ')}`, {
      reason: 'FORM_TEMPLATE.INVALID',
      details: { file, problems: result.problems },
    });
  }
  return result.template;
}
