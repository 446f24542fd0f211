import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '../domain/errors';
import { fromVietnamLocal } from '../domain/time/vietnam-time';
import { checkTemplates } from './check-templates';
import { FORM_IDS, type FormId } from './form-data';
import { SAMPLE_DATA } from './form-samples';
import { DEFAULT_TEMPLATES_DIR, loadTemplate, templateFileName, validateTemplate } from './form-template';
import { renderForm } from './render-form';
import { formatShortDateTime, formatVietnameseDate, formatVietnameseDateTime, formatVnd } from './vietnamese-format';

const shipped = (formId: FormId): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(DEFAULT_TEMPLATES_DIR(), templateFileName(formId)), 'utf8')) as Record<string, unknown>;

/** The problems of form 01's template after `edit`. */
function problemsAfter(edit: (template: { blocks: Record<string, unknown>[] } & Record<string, unknown>) => void): string[] {
  const template = shipped('01') as { blocks: Record<string, unknown>[] } & Record<string, unknown>;
  edit(template);
  const result = validateTemplate(template, '01');
  return result.ok ? [] : result.problems;
}

const indexOfBlock = (template: { blocks: Record<string, unknown>[] }, type: string, source?: string): number =>
  template.blocks.findIndex((b) => b['type'] === type && (source === undefined || b['source'] === source));

describe('shipped templates', () => {
  it.each(FORM_IDS)('form %s is valid', (formId) => {
    const result = validateTemplate(shipped(formId), formId);
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('the checker reports all six valid', async () => {
    const { ok, report } = await checkTemplates(DEFAULT_TEMPLATES_DIR());
    expect(ok).toBe(true);
    expect(report.filter((line) => line.endsWith(': valid'))).toHaveLength(6);
  });
});

describe('template validation pinpoints each mistake', () => {
  it('a misspelt key', () => {
    const problems = problemsAfter((t) => {
      const table = t.blocks[indexOfBlock(t, 'table', 'papers')]!;
      table['colums'] = table['columns'];
      delete table['columns'];
    });
    const at = `blocks[${indexOfBlock(shipped('01') as { blocks: Record<string, unknown>[] }, 'table', 'papers')}]`;
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^${escape(at)}: Unrecognized key\\(s\\) in object: 'colums'`))]),
    );
    expect(problems).toEqual(expect.arrayContaining([`${at}.columns: Required`]));
  });

  it('an unknown block type', () => {
    const problems = problemsAfter((t) => {
      t.blocks[2] = { type: 'picture', file: 'logo.png' };
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^blocks\[2\]\.type: Invalid discriminator value\. Expected 'masthead' \| 'title' \| /);
  });

  it('a data path that does not exist, with the fields that do', () => {
    const problems = problemsAfter((t) => {
      t.blocks.push({ type: 'field', label: 'Người nộp:', value: '{{applicant.fullName}}' });
    });
    expect(problems).toEqual([
      `blocks[${(shipped('01')['blocks'] as unknown[]).length}].value: unknown data path "applicant.fullName": "applicant" has no field "fullName" (fields: name, address, phone, email)`,
    ]);
  });

  it('an unknown filter, a filter on the wrong kind of value, a missing label table', () => {
    const problems = problemsAfter((t) => {
      t.blocks.push({ type: 'paragraph', text: 'Ngày: {{receivedAt|dat}}' });
      t.blocks.push({ type: 'paragraph', text: 'Tên: {{applicant.name|date}}' });
      t.blocks.push({ type: 'paragraph', text: 'Số bộ: {{sets|money}} {{sets|label:units}}' });
      t['labels'] = { paperKind: { original: 'Bản chính', copy: 'Bản sao' } };
    });
    const n = (shipped('01')['blocks'] as unknown[]).length;
    expect(problems).toEqual([
      expect.stringMatching(
        /^blocks\[\d+\]\.columns\[2\]\.value: labels\.paperKind has no text for "certified copy" in \{\{kind\|label:paperKind\}\}$/,
      ),
      expect.stringMatching(
        new RegExp(`^blocks\\[${n}\\]\\.text: unknown filter "dat" in \\{\\{receivedAt\\|dat\\}\\} \\(filters: datetime, date, `),
      ),
      `blocks[${n + 1}].text: filter "date" needs a date, got a string in {{applicant.name|date}}`,
      `blocks[${n + 2}].text: filter "label:units" names no table in "labels" (tables: paperKind) in {{sets|label:units}}`,
    ]);
  });

  it('a list printed as a value, a table over something that is not a list, a row path outside a row', () => {
    const problems = problemsAfter((t) => {
      t.blocks.push({ type: 'paragraph', text: '{{papers}}' });
      t.blocks.push({ type: 'paragraph', text: '{{papers.name}}' });
      t.blocks.push({ type: 'table', source: 'applicant', columns: [{ heading: 'Tên', value: '{{name}}', width: 1 }] });
      t.blocks.push({ type: 'paragraph', text: 'Số thứ tự {{#}}' });
    });
    const n = (shipped('01')['blocks'] as unknown[]).length;
    expect(problems).toEqual([
      `blocks[${n}].text: {{papers}} is a list, not a value to print`,
      `blocks[${n + 1}].text: "papers" is a list: show it with a table or list block (source "papers")`,
      `blocks[${n + 2}].source: "applicant" is an object, not a list`,
      `blocks[${n + 3}].text: "#" (row number) is only available inside a table or list`,
    ]);
  });

  it('broken placeholders and out-of-range geometry', () => {
    const problems = problemsAfter((t) => {
      t['paper'] = 'A3';
      t['margins'] = { top: 10, right: 10, bottom: -1, left: 10 };
    });
    expect(problems).toEqual([
      "paper: Invalid enum value. Expected 'A4' | 'A5', received 'A3'",
      'margins.bottom: Number must be greater than or equal to 0',
    ]);
    const syntax = problemsAfter((t) => {
      t.blocks.push({ type: 'paragraph', text: 'Mã: {{dossier.code' });
      t.blocks.push({ type: 'paragraph', text: 'Mã: {{ }}' });
    });
    expect(syntax).toEqual([expect.stringContaining('"{{" is never closed'), expect.stringContaining('empty placeholder')]);
  });

  it('a template filed under the wrong form', () => {
    expect(validateTemplate(shipped('02'), '01')).toEqual({ ok: false, problems: ['number: the file is for form 01 but says "02"'] });
  });
});

describe('loading a broken template', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'form-templates-'));
    for (const formId of FORM_IDS)
      copyFileSync(path.join(DEFAULT_TEMPLATES_DIR(), templateFileName(formId)), path.join(dir, templateFileName(formId)));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fails the render with a ConfigurationError listing every problem and the file', async () => {
    const template = shipped('01') as { blocks: Record<string, unknown>[] };
    template.blocks.push({ type: 'field', label: 'Hạn:', value: '{{dueDate|datetime}}' }, { type: 'spacer' });
    writeFileSync(path.join(dir, 'form-01.json'), JSON.stringify(template));
    const error = await renderForm('01', SAMPLE_DATA['01'], { templatesDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).reason).toBe('FORM_TEMPLATE.INVALID');
    expect((error as ConfigurationError).message).toContain(path.join(dir, 'form-01.json'));
    expect((error as ConfigurationError).details?.['problems']).toEqual([`blocks[${template.blocks.length - 1}].height: Required`]);

    // With the structure fixed, the data path is checked.
    template.blocks.pop();
    writeFileSync(path.join(dir, 'form-01.json'), JSON.stringify(template));
    expect(() => loadTemplate('01', dir)).toThrow(/unknown data path "dueDate": the form data has no field "dueDate"/);
  });

  it('reports a file that is not JSON', () => {
    writeFileSync(path.join(dir, 'form-03.json'), '{ "formatVersion": 1,');
    expect(() => loadTemplate('03', dir)).toThrow(expect.objectContaining({ reason: 'FORM_TEMPLATE.UNREADABLE' }) as Error);
  });

  it('applies an edited template to the next render, without a restart', async () => {
    const template = shipped('03') as { blocks: Record<string, unknown>[] };
    template.blocks.push({ type: 'paragraph', text: 'Ông/Bà có thể gọi đường dây nóng {{agency.phone}}.' });
    writeFileSync(path.join(dir, 'form-03.json'), JSON.stringify(template));
    const pdf = await renderForm('03', SAMPLE_DATA['03'], { templatesDir: dir });
    expect(pdf.length).toBeGreaterThan(1000);
    const { ok, report } = await checkTemplates(dir, path.join(dir, 'preview'));
    expect(ok).toBe(true);
    expect(report.filter((line) => line.includes('preview:'))).toHaveLength(6);
  });
});

describe('Vietnamese formats', () => {
  it('writes dates as administrative documents do', () => {
    const at = fromVietnamLocal(2026, 11, 23, 9, 30);
    expect(formatVietnameseDateTime(at)).toBe('09 giờ 30 phút, ngày 23 tháng 11 năm 2026');
    // Days below 10 and the months 1 and 2 take a leading zero; the other months do not.
    expect(formatVietnameseDate(fromVietnamLocal(2026, 2, 5))).toBe('ngày 05 tháng 02 năm 2026');
    expect(formatVietnameseDate(fromVietnamLocal(2026, 3, 5))).toBe('ngày 05 tháng 3 năm 2026');
    expect(formatShortDateTime(fromVietnamLocal(2026, 3, 5, 7, 5))).toBe('07:05 05/03/2026');
  });

  it('writes money in đồng with dot-grouped thousands', () => {
    expect(formatVnd(1_000_000)).toBe('1.000.000 đồng');
    expect(formatVnd(16_000)).toBe('16.000 đồng');
    expect(formatVnd(500)).toBe('500 đồng');
    expect(formatVnd(0)).toBe('0 đồng');
  });
});

function escape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
