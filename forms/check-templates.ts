import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FORM_IDS } from './form-data';
import { SAMPLE_DATA } from './form-samples';
import { DEFAULT_TEMPLATES_DIR, templateFileName, validateTemplate } from './form-template';
import { renderForm } from './render-form';

/**
 * Checks every form template in a folder and, with --preview, renders each with sample data so an
 * agency can look at its edits before putting them live.
 * Usage: node dist/forms/check-templates.js [templatesDir] [--preview outDir]
 * Exit code 1 when any template is invalid.
 */
export async function checkTemplates(templatesDir: string, previewDir?: string): Promise<{ ok: boolean; report: string[] }> {
  const report: string[] = [];
  let ok = true;
  for (const formId of FORM_IDS) {
    const file = path.join(templatesDir, templateFileName(formId));
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      ok = false;
      report.push(`${file}: cannot be read: ${(error as Error).message}`);
      continue;
    }
    const result = validateTemplate(raw, formId);
    if (!result.ok) {
      ok = false;
      report.push(`${file}: ${result.problems.length} problem(s)`, ...result.problems.map((p) => `  ${p}`));
      continue;
    }
    report.push(`${file}: valid`);
    if (previewDir !== undefined) {
      mkdirSync(previewDir, { recursive: true });
      const out = path.join(previewDir, `form-${formId}.pdf`);
      writeFileSync(out, await renderForm(formId, SAMPLE_DATA[formId], { templatesDir }));
      report.push(`  preview: ${out}`);
    }
  }
  return { ok, report };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const previewAt = args.indexOf('--preview');
  const previewDir = previewAt === -1 ? undefined : args[previewAt + 1];
  const dir = args.find((a, i) => !a.startsWith('--') && (previewAt === -1 || i !== previewAt + 1)) ?? DEFAULT_TEMPLATES_DIR();
  checkTemplates(dir, previewDir).then(
    ({ ok, report }) => {
      process.stdout.write(`${report.join('\n')}\n`);
      process.exitCode = ok ? 0 : 1;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
