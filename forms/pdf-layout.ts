import type PDFDocument from 'pdfkit';
import type { FontStyle } from './fonts';
import type { FormTemplate, SignatureColumn, TableColumn, TemplateBlock, TemplateLine } from './form-template';
import { interpolate, isPresent, lookup, parseTemplateString, type Labels, type Values } from './template-expressions';

type Doc = InstanceType<typeof PDFDocument>;
type BlockOf<T extends TemplateBlock['type']> = Extract<TemplateBlock, { type: T }>;

export const mmToPt = (mm: number): number => (mm * 72) / 25.4;

/** Barcode and QR images prepared (asynchronously) before layout, by block index. */
export type CodeImages = Map<number, { barcode: Buffer; qr: Buffer }>;

/** Space above each kind of block unless the template says otherwise, mm. */
const DEFAULT_SPACE_BEFORE: Record<TemplateBlock['type'], number> = {
  masthead: 0,
  title: 5,
  paragraph: 1.2,
  field: 0.6,
  fieldRow: 0.6,
  list: 1,
  table: 2,
  codes: 2,
  signatures: 5,
  footnotes: 5,
  spacer: 0,
};

const CELL_PADDING = 2.5;
const RULE_WIDTH = 0.5;
const MIN_SHRINK_SIZE = 5;

/**
 * Lays a template out on a pdfkit document: a cursor moving down the page, a new page when a block
 * does not fit, tables whose header is repeated on every page they continue on.
 */
export class FormLayout {
  private readonly labels: Labels;
  private readonly blank: string;
  private readonly lineGap: number;

  constructor(
    private readonly doc: Doc,
    private readonly template: FormTemplate,
    private readonly data: unknown,
    private readonly images: CodeImages,
  ) {
    this.labels = template.labels ?? {};
    this.blank = template.blank ?? '';
    this.lineGap = template.lineGap ?? 1;
  }

  private get left(): number {
    return this.doc.page.margins.left;
  }
  private get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }
  private get top(): number {
    return this.doc.page.margins.top;
  }
  private get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  private text(template: string, values: Values = { root: this.data }, blank = this.blank): string {
    return interpolate(parseTemplateString(template), values, this.labels, blank);
  }

  private use(style: FontStyle, size: number): Doc {
    return this.doc.font(style).fontSize(size);
  }

  private heightOf(value: string, style: FontStyle, size: number, width: number): number {
    if (value === '') return 0;
    return this.use(style, size).heightOfString(value, { width, lineGap: this.lineGap });
  }

  /** Moves to a new page unless `height` still fits below the cursor. */
  private ensure(height: number): void {
    if (this.doc.y + height > this.bottom && this.doc.y > this.top) {
      this.doc.addPage();
      this.doc.y = this.top;
    }
  }

  render(): void {
    this.doc.y = this.top;
    this.template.blocks.forEach((block, index) => {
      if (block.when !== undefined && !isPresent(block.when, { root: this.data })) return;
      if (block.unless !== undefined && isPresent(block.unless, { root: this.data })) return;
      const space = mmToPt(block.spaceBefore ?? DEFAULT_SPACE_BEFORE[block.type]);
      // No space at the top of a page.
      if (this.doc.y > this.top) this.doc.y = Math.min(this.doc.y + space, this.bottom);
      switch (block.type) {
        case 'masthead':
          return this.masthead(block);
        case 'title':
          return this.paragraph({
            ...block,
            type: 'paragraph',
            align: 'center',
            bold: true,
            size: block.size ?? this.template.fontSize + 3,
          });
        case 'paragraph':
          return this.paragraph(block);
        case 'field':
          return this.field(block);
        case 'fieldRow':
          return this.fieldRow(block);
        case 'list':
          return this.list(block);
        case 'table':
          return this.table(block);
        case 'codes':
          return this.codes(index, block);
        case 'signatures':
          return this.signatures(block);
        case 'footnotes':
          return this.footnotes(block);
        case 'spacer':
          this.ensure(mmToPt(block.height));
          this.doc.y += mmToPt(block.height);
          return;
      }
    });
  }

  /** The page footer on every page; call after `render`, with pages buffered. */
  footers(): void {
    const footer = this.template.pageFooter;
    if (footer === undefined) return;
    const { start, count } = this.doc.bufferedPageRange();
    const size = Math.max(this.template.fontSize - 2, 6);
    for (let i = start; i < start + count; i++) {
      this.doc.switchToPage(i);
      const text = this.text(footer, { root: this.data, page: i - start + 1, pages: count }, '');
      const margin = this.doc.page.margins.bottom;
      // Writing inside the bottom margin would otherwise make pdfkit start a new page.
      this.doc.page.margins.bottom = 0;
      const y = this.doc.page.height - margin / 2 - size / 2;
      this.use('italic', size).fillColor('#444444').text(text, this.left, y, { width: this.width, align: 'center', lineBreak: false });
      this.doc.fillColor('#000000');
      this.doc.page.margins.bottom = margin;
    }
  }

  private masthead(block: BlockOf<'masthead'>): void {
    const size = block.size ?? this.template.fontSize;
    const leftWidth = this.width * (block.leftWidth ?? 0.42);
    const columns: [TemplateLine[], number, number][] = [
      [block.left, this.left, leftWidth],
      [block.right, this.left + leftWidth, this.width - leftWidth],
    ];
    const startY = this.doc.y;
    let endY = startY;
    for (const [lines, x, width] of columns) {
      let y = startY;
      for (const line of lines) {
        const value = this.text(line.text, undefined, '');
        if (value === '') continue;
        const style = styleOf(line.bold, line.italic);
        const lineSize = line.size ?? size;
        this.use(style, lineSize).text(value, x, y, { width, align: 'center', lineGap: this.lineGap });
        y = this.doc.y;
        if (line.rule) {
          const textWidth = Math.min(this.use(style, lineSize).widthOfString(value), width);
          const ruleWidth = textWidth * (line.rule === true ? 1 : line.rule);
          const ruleX = x + (width - ruleWidth) / 2;
          this.doc
            .moveTo(ruleX, y + 2)
            .lineTo(ruleX + ruleWidth, y + 2)
            .lineWidth(RULE_WIDTH)
            .stroke();
          y += 5;
        }
      }
      endY = Math.max(endY, y);
    }
    this.doc.y = endY;
  }

  private paragraph(block: BlockOf<'paragraph'>): void {
    const value = this.text(block.text);
    if (value === '') return;
    const size = block.size ?? this.template.fontSize;
    const style = styleOf(block.bold, block.italic);
    const indent = mmToPt(block.indent ?? 0);
    this.use(style, size);
    this.ensure(this.doc.currentLineHeight(true));
    this.doc.text(value, this.left + indent, this.doc.y, {
      width: this.width - indent,
      align: block.align ?? 'left',
      lineGap: this.lineGap,
    });
  }

  /** `label value`: the label as written, the value in bold; a blank to fill in when it is empty. */
  private fieldRun(label: string, value: string, x: number, y: number, width: number, size: number): void {
    const labelText = this.text(label, undefined, '');
    const separator = labelText === '' || /\s$/.test(labelText) ? '' : ' ';
    const options = { width, lineGap: this.lineGap };
    if (value === '') {
      this.use('regular', size).text(`${labelText}${separator}${this.blank}`, x, y, options);
      return;
    }
    this.use('regular', size).text(`${labelText}${separator}`, x, y, { ...options, continued: true });
    this.use('bold', size).text(value, { continued: false });
  }

  private field(block: BlockOf<'field'>): void {
    const value = this.text(block.value, undefined, '');
    if (value === '' && block.omitIfEmpty) return;
    const size = block.size ?? this.template.fontSize;
    const indent = mmToPt(block.indent ?? 0);
    // Keep a field's wrapped lines together: measure the whole run (bold, the wider face) before drawing.
    const whole = `${this.text(block.label, undefined, '')} ${value === '' ? this.blank : value}`;
    this.ensure(Math.max(this.use('regular', size).currentLineHeight(true), this.heightOf(whole, 'bold', size, this.width - indent)));
    this.fieldRun(block.label, value, this.left + indent, this.doc.y, this.width - indent, size);
  }

  private fieldRow(block: BlockOf<'fieldRow'>): void {
    const size = block.size ?? this.template.fontSize;
    const indent = mmToPt(block.indent ?? 0);
    const fields = block.fields
      .map((f) => ({ ...f, text: this.text(f.value, undefined, '') }))
      .filter((f) => !(f.text === '' && f.omitIfEmpty));
    if (fields.length === 0) return;
    const shares = fields.map((f) => f.width ?? 1);
    const unit = (this.width - indent) / sum(shares);
    this.ensure(this.use('regular', size).currentLineHeight(true));
    const y = this.doc.y;
    let endY = y;
    let x = this.left + indent;
    fields.forEach((f, i) => {
      const width = shares[i]! * unit;
      this.fieldRun(f.label, f.text, x, y, width - 6, size);
      x += width;
      endY = Math.max(endY, this.doc.y);
    });
    this.doc.y = endY;
  }

  private list(block: BlockOf<'list'>): void {
    const items = lookup(block.source, { root: this.data });
    const size = block.size ?? this.template.fontSize;
    const indent = mmToPt(block.indent ?? 0);
    if (!Array.isArray(items) || items.length === 0) {
      if (block.empty !== undefined) this.paragraph({ type: 'paragraph', text: block.empty, indent: block.indent, size });
      return;
    }
    const numbered = block.numbered ?? true;
    const markerWidth = numbered ? this.use('regular', size).widthOfString(`${items.length}. `) + 2 : mmToPt(4);
    const x = this.left + indent;
    const width = this.width - indent - markerWidth;
    items.forEach((row, i) => {
      const values: Values = { root: this.data, row, rowNumber: i + 1 };
      const item = this.text(block.item, values, '');
      const detail = block.detail === undefined ? '' : this.text(block.detail, values, '');
      // Keep an item's first line with its marker, and a short item with its detail.
      this.ensure(
        Math.min(
          this.heightOf(item, 'regular', size, width) + this.heightOf(detail, 'italic', size, width),
          this.use('regular', size).currentLineHeight(true) * 3,
        ),
      );
      const y = this.doc.y;
      this.use('regular', size).text(numbered ? `${i + 1}.` : '–', x, y, { width: markerWidth, lineBreak: false });
      this.use('regular', size).text(item, x + markerWidth, y, { width, lineGap: this.lineGap });
      if (detail !== '') this.use('italic', size).text(detail, x + markerWidth, this.doc.y, { width, lineGap: this.lineGap });
    });
  }

  private table(block: BlockOf<'table'>): void {
    const rows = lookup(block.source, { root: this.data });
    const size = block.size ?? this.template.fontSize - 1;
    if (!Array.isArray(rows) || rows.length === 0) {
      if (block.empty !== undefined) this.paragraph({ type: 'paragraph', text: block.empty, size: size + 1 });
      return;
    }
    const total = block.columns.reduce((sum, c) => sum + c.width, 0);
    const widths = block.columns.map((c) => (c.width / total) * this.width);
    const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const pad = CELL_PADDING;
    const headings = block.columns.map((c) => this.text(c.heading, undefined, ''));

    // Header geometry: a grouped column sits under its group's cell; the others span both rows.
    const hasGroups = block.columns.some((c) => c.group !== undefined);
    const leafHeight =
      Math.max(...headings.map((h, i) => (block.columns[i]?.group ? this.heightOf(h, 'bold', size, widths[i]! - 2 * pad) : 0))) + 2 * pad;
    const groups = groupSpans(block.columns);
    const groupHeight = hasGroups
      ? Math.max(...groups.map((g) => this.heightOf(g.label, 'bold', size, sum(widths.slice(g.from, g.to)) - 2 * pad))) + 2 * pad
      : 0;
    const plainHeight =
      Math.max(...headings.map((h, i) => (block.columns[i]?.group ? 0 : this.heightOf(h, 'bold', size, widths[i]! - 2 * pad)))) + 2 * pad;
    const headerHeight = hasGroups ? Math.max(groupHeight + leafHeight, plainHeight) : plainHeight;
    const leafTop = headerHeight - leafHeight;

    const drawHeader = (): void => {
      const y = this.doc.y;
      const cell = (label: string, x: number, cy: number, w: number, h: number): void => {
        this.doc.rect(x, cy, w, h).lineWidth(RULE_WIDTH);
        if (block.headerFill) this.doc.fillAndStroke(block.headerFill, '#000000');
        else this.doc.stroke();
        this.doc.fillColor('#000000');
        const th = this.heightOf(label, 'bold', size, w - 2 * pad);
        this.use('bold', size).text(label, x + pad, cy + (h - th) / 2, { width: w - 2 * pad, align: 'center', lineGap: this.lineGap });
      };
      block.columns.forEach((c, i) => {
        if (c.group === undefined) cell(headings[i]!, xs[i]!, y, widths[i]!, headerHeight);
        else cell(headings[i]!, xs[i]!, y + leafTop, widths[i]!, leafHeight);
      });
      for (const g of groups) cell(g.label, xs[g.from]!, y, sum(widths.slice(g.from, g.to)), leafTop);
      this.doc.y = y + headerHeight;
    };

    const prepared = rows.map((row, r) => {
      const values: Values = { root: this.data, row, rowNumber: r + 1 };
      const cells = block.columns.map((c, i) => {
        const value = this.text(c.value, values, '');
        const available = widths[i]! - 2 * pad;
        let cellSize = size;
        if (c.nowrap && value !== '') {
          const natural = this.use('regular', size).widthOfString(value);
          if (natural > available) cellSize = Math.max(MIN_SHRINK_SIZE, (size * available) / natural - 0.05);
        }
        return { value, size: cellSize, height: this.heightOf(value, 'regular', cellSize, available) };
      });
      return { cells, height: Math.max(...cells.map((c) => c.height)) + 2 * pad };
    });

    const pageRoom = (): number => this.bottom - this.top - headerHeight;
    // The header never stands alone at the foot of a page.
    this.ensure(headerHeight + Math.min(prepared[0]!.height, pageRoom()));
    drawHeader();
    for (const row of prepared) {
      const height = Math.min(row.height, pageRoom());
      if (this.doc.y + height > this.bottom) {
        this.doc.addPage();
        this.doc.y = this.top;
        drawHeader();
      }
      const y = this.doc.y;
      row.cells.forEach((c, i) => {
        this.doc.rect(xs[i]!, y, widths[i]!, height).lineWidth(RULE_WIDTH).stroke();
        if (c.value === '') return;
        const column = block.columns[i] as TableColumn;
        this.use('regular', c.size).text(c.value, xs[i]! + pad, y + pad, {
          width: widths[i]! - 2 * pad,
          // A row taller than a page (never in practice) is cut rather than spilling over; the half
          // point of slack keeps rounding from dropping the last line of a cell that fits exactly.
          height: height - 2 * pad + 0.5,
          ellipsis: true,
          align: column.align ?? 'left',
          lineGap: this.lineGap,
          lineBreak: !column.nowrap,
        });
      });
      this.doc.y = y + height;
    }
  }

  private codes(index: number, block: BlockOf<'codes'>): void {
    const image = this.images.get(index);
    if (!image) return;
    const barcodeWidth = mmToPt(block.barcodeWidth);
    const barcodeHeight = mmToPt(block.barcodeHeight);
    const qrSize = mmToPt(block.qrSize);
    const caption = block.caption === undefined ? '' : this.text(block.caption, undefined, '');
    const gap = mmToPt(5);
    // The caption stays on one line under the barcode, clear of the QR code: smaller type rather than a wrap.
    const captionWidth = barcodeWidth + gap;
    const baseSize = this.template.fontSize - 0.5;
    const captionNatural = caption === '' ? 0 : this.use('bold', baseSize).widthOfString(caption);
    const captionSize =
      captionNatural > captionWidth ? Math.max(MIN_SHRINK_SIZE, (baseSize * captionWidth) / captionNatural - 0.05) : baseSize;
    const captionHeight = caption === '' ? 0 : this.use('bold', captionSize).currentLineHeight(true) + 3;
    const height = Math.max(barcodeHeight + captionHeight, qrSize);
    const totalWidth = barcodeWidth + gap + qrSize;
    const x =
      block.align === 'left'
        ? this.left
        : block.align === 'right'
          ? this.left + this.width - totalWidth
          : this.left + (this.width - totalWidth) / 2;
    this.ensure(height);
    const y = this.doc.y;
    const barcodeY = y + (height - barcodeHeight - captionHeight) / 2;
    this.doc.image(image.barcode, x, barcodeY, { width: barcodeWidth, height: barcodeHeight });
    if (caption !== '') {
      this.use('bold', captionSize).text(caption, x + (barcodeWidth - captionWidth) / 2, barcodeY + barcodeHeight + 3, {
        width: captionWidth,
        align: 'center',
        lineBreak: false,
      });
    }
    this.doc.image(image.qr, x + barcodeWidth + gap, y, { width: qrSize, height: qrSize });
    this.doc.y = y + height;
  }

  private signatures(block: BlockOf<'signatures'>): void {
    const size = block.size ?? this.template.fontSize;
    const space = mmToPt(block.space ?? 20);
    const width = this.width / block.columns.length;
    const columns = block.columns.map((c) => this.signatureContent(c));
    const heights = columns.map((c) =>
      c.kind === 'lines'
        ? c.lines.reduce((h, l, i) => h + this.heightOf(l, i === 0 ? 'boldItalic' : 'regular', size - 1, width - 4), 0)
        : this.heightOf(c.title, 'bold', size, width - 4) +
          this.heightOf(c.note, 'italic', size - 1, width - 4) +
          space +
          this.heightOf(c.name, 'bold', size, width - 4),
    );
    // A signature block is never split across pages.
    this.ensure(Math.max(...heights));
    const y = this.doc.y;
    let endY = y;
    columns.forEach((c, i) => {
      const x = this.left + i * width;
      const options = { width: width - 4, align: 'center' as const, lineGap: this.lineGap };
      if (c.kind === 'lines') {
        c.lines.forEach((l, j) => {
          this.use(j === 0 ? 'boldItalic' : 'regular', size - 1).text(l, x, j === 0 ? y : this.doc.y, { ...options, align: 'left' });
        });
      } else {
        if (c.title !== '') this.use('bold', size).text(c.title, x, y, options);
        if (c.note !== '') this.use('italic', size - 1).text(c.note, x, c.title !== '' ? this.doc.y : y, options);
        const nameY = y + this.heightOf(c.title, 'bold', size, width - 4) + this.heightOf(c.note, 'italic', size - 1, width - 4) + space;
        if (c.name !== '') this.use('bold', size).text(c.name, x, nameY, options);
      }
      endY = Math.max(endY, this.doc.y);
    });
    this.doc.y = endY;
  }

  private signatureContent(
    column: SignatureColumn,
  ): { kind: 'lines'; lines: string[] } | { kind: 'signature'; title: string; note: string; name: string } {
    if (column.lines) return { kind: 'lines', lines: column.lines.map((l) => this.text(l, undefined, '')) };
    return {
      kind: 'signature',
      title: this.text(column.title ?? '', undefined, ''),
      note: this.text(column.note ?? '', undefined, ''),
      name: this.text(column.name ?? '', undefined, ''),
    };
  }

  private footnotes(block: BlockOf<'footnotes'>): void {
    const size = block.size ?? Math.max(this.template.fontSize - 2, 6);
    const items = block.items.map((item) => this.text(item, undefined, ''));
    this.ensure(items.reduce((h, item) => h + this.heightOf(item, 'italic', size, this.width), 4));
    const y = this.doc.y;
    this.doc
      .moveTo(this.left, y)
      .lineTo(this.left + mmToPt(30), y)
      .lineWidth(RULE_WIDTH)
      .stroke();
    this.doc.y = y + 3;
    for (const item of items) this.use('italic', size).text(item, this.left, this.doc.y, { width: this.width, lineGap: this.lineGap });
  }
}

function styleOf(bold: boolean | undefined, italic: boolean | undefined): FontStyle {
  if (bold && italic) return 'boldItalic';
  if (bold) return 'bold';
  return italic ? 'italic' : 'regular';
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/** Runs of consecutive columns sharing a group: `from` inclusive, `to` exclusive. */
function groupSpans(columns: TableColumn[]): { label: string; from: number; to: number }[] {
  const spans: { label: string; from: number; to: number }[] = [];
  columns.forEach((c, i) => {
    if (c.group === undefined) return;
    const label = c.group.normalize('NFC');
    const last = spans[spans.length - 1];
    if (last && last.label === label && last.to === i) last.to = i + 1;
    else spans.push({ label, from: i, to: i + 1 });
  });
  return spans;
}
