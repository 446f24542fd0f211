import type { ResultRecord } from '../../domain/ports/document-signer.port';
import { toVietnamLocal } from '../../domain/time/vietnam-time';
import { loadPdfLib } from './pdf-lib-loader';

/** What a result notice shows: the signed result record, and where to fetch and check it. */
export type ResultNotice = Pick<
  ResultRecord,
  'documentCode' | 'dossierCode' | 'procedure' | 'agency' | 'applicantId' | 'summary' | 'resolvedAt'
> & {
  accessKey: string;
  /** Where the public checks it, e.g. https://hub.example.gov.vn. */
  publicUrl: string;
};

const two = (n: number) => String(n).padStart(2, '0');

/** The result of a procedure as a one-page A4 PDF, in Vietnamese, ready to be signed (PAdES). */
export async function renderResultNotice(notice: ResultNotice, fonts: { regular: Buffer; bold: Buffer }): Promise<Buffer> {
  const { PDFDocument, rgb, fontkit } = await loadPdfLib();
  const document = await PDFDocument.create();
  document.registerFontkit(fontkit);
  document.setTitle(`Kết quả giải quyết hồ sơ ${notice.dossierCode}`);
  document.setProducer('onestop-hub');
  document.setCreationDate(new Date(notice.resolvedAt));
  const regular = await document.embedFont(fonts.regular, { subset: true });
  const bold = await document.embedFont(fonts.bold, { subset: true });
  const page = document.addPage([595.28, 841.89]);
  const ink = rgb(0, 0, 0);
  let y = 790;
  const write = (text: string, options: { size?: number; font?: typeof regular; x?: number; gap?: number } = {}) => {
    const size = options.size ?? 11;
    page.drawText(text, { x: options.x ?? 60, y, size, font: options.font ?? regular, color: ink, maxWidth: 475, lineHeight: size + 4 });
    const lines = Math.max(1, Math.ceil(((options.font ?? regular).widthOfTextAtSize(text, size) + 1) / 475));
    y -= lines * (size + 4) + (options.gap ?? 6);
  };
  write(notice.agency.name.toUpperCase(), { font: bold, size: 11 });
  write('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập - Tự do - Hạnh phúc', { size: 10, gap: 24 });
  write('KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH', { font: bold, size: 15, x: 130, gap: 18 });
  const t = toVietnamLocal(new Date(notice.resolvedAt));
  const rows: [string, string][] = [
    ['Mã hồ sơ', notice.dossierCode],
    ['Thủ tục', `${notice.procedure.name} (${notice.procedure.code})`],
    ['Cơ quan giải quyết', `${notice.agency.name} (${notice.agency.code})`],
    ['Số định danh chủ hồ sơ', notice.applicantId],
    ['Kết quả', notice.summary],
    ['Thời điểm có kết quả', `${two(t.hour)}:${two(t.minute)} ngày ${two(t.day)}/${two(t.month)}/${t.year}`],
  ];
  for (const [label, value] of rows) write(`${label}: ${value}`);
  y -= 12;
  write(`Mã tài liệu: ${notice.documentCode}`, { font: bold });
  write(`Mã truy cập: ${notice.accessKey}`, { font: bold });
  write(`Tải và kiểm tra chữ ký: ${notice.publicUrl}/documents/${notice.documentCode}?key=${notice.accessKey}`, { size: 9 });
  write('Văn bản điện tử có chữ ký số của cơ quan giải quyết (Nghị định 30/2020/NĐ-CP), có giá trị pháp lý như bản giấy.', { size: 9 });
  return Buffer.from(await document.save({ useObjectStreams: false }));
}
