import type PDFDocument from 'pdfkit';
import { systemClock, type Clock } from '../domain/clock';
import { InvalidInputError } from '../domain/errors';
import { code128Png, qrPng } from './codes';
import { fontData } from './fonts';
import { FORM_DATA_SCHEMAS, FORM_IDS, type FormDataById, type FormId, isFormId } from './form-data';
import { loadTemplate, type FormTemplate } from './form-template';
import { FormLayout, mmToPt, type CodeImages } from './pdf-layout';
import { interpolate, isPresent, parseTemplateString } from './template-expressions';

export interface RenderFormOptions {
  /** Folder of form-NN.json templates. @default forms/templates of the project */
  templatesDir?: string;
  /** Gives the issue time printed when the data names none. @default the system clock */
  clock?: Clock;
}

/**
 * Renders one of the six forms of the one-stop process (Circular 01/2018/TT-VPCP) to a PDF from its
 * template. Throws InvalidInputError when the data does not fit the form, ConfigurationError when the
 * template is broken (with every problem listed).
 */
export async function renderForm<F extends FormId>(formId: F, data: FormDataById[F], options: RenderFormOptions = {}): Promise<Buffer> {
  if (!isFormId(formId)) {
    throw new InvalidInputError(`There is no form "${String(formId)}" (forms: ${FORM_IDS.join(', ')}).`, { reason: 'FORM.UNKNOWN' });
  }
  const template = loadTemplate(formId, options.templatesDir);
  const parsed = FORM_DATA_SCHEMAS[formId].safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(data)'}: ${issue.message}`);
    throw new InvalidInputError(`The data for form ${formId} is incomplete or wrong: ${problems.join('; ')}.`, {
      reason: 'FORM.INVALID_DATA',
      details: { form: formId, problems },
    });
  }
  const values = { ...parsed.data, issuedAt: parsed.data.issuedAt ?? (options.clock ?? systemClock).now() };
  // pdfkit is loaded when the first form is printed, not with the hub (about 10 MB).
  const [images, { default: pdfkit }] = await Promise.all([prepareCodes(template, values), import('pdfkit')]);
  return toPdf(pdfkit, template, values, images);
}

async function prepareCodes(template: FormTemplate, data: unknown): Promise<CodeImages> {
  const images: CodeImages = new Map();
  await Promise.all(
    template.blocks.map(async (block, index) => {
      if (block.type !== 'codes') return;
      if (block.when !== undefined && !isPresent(block.when, { root: data })) return;
      if (block.unless !== undefined && isPresent(block.unless, { root: data })) return;
      const barcodeText = interpolate(parseTemplateString(block.barcode), { root: data }, {});
      const qrText = interpolate(parseTemplateString(block.qr), { root: data }, {});
      // No code yet (a dossier refused at the desk): nothing to encode.
      if (barcodeText === '' || qrText === '') return;
      const [barcode, qr] = await Promise.all([code128Png(barcodeText), qrPng(qrText)]);
      images.set(index, { barcode, qr });
    }),
  );
  return images;
}

function toPdf(
  PDFKit: typeof PDFDocument,
  template: FormTemplate,
  data: Record<string, unknown> & { agency: { name: string } },
  images: CodeImages,
): Promise<Buffer> {
  const { top, right, bottom, left } = template.margins;
  const doc = new PDFKit({
    size: template.paper,
    layout: template.orientation,
    margins: { top: mmToPt(top), right: mmToPt(right), bottom: mmToPt(bottom), left: mmToPt(left) },
    bufferPages: true,
    lang: 'vi-VN',
    // No standard font: every glyph comes from the embedded Vietnamese font.
    font: null as unknown as string,
    info: {
      Title: template.name,
      Author: data.agency.name,
      Subject: subjectOf(data),
      Creator: 'onestop-hub',
    },
  });
  const fonts = fontData();
  for (const [style, buffer] of Object.entries(fonts)) doc.registerFont(style, buffer);
  doc.font('regular').fontSize(template.fontSize);

  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const layout = new FormLayout(doc, template, data, images);
  layout.render();
  layout.footers();
  doc.end();
  return done;
}

function subjectOf(data: Record<string, unknown>): string {
  const dossier = data['dossier'] as { code?: string } | undefined;
  return dossier?.code ?? '';
}

export type { FormDataById, FormId } from './form-data';
