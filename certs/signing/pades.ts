import fontkit from '@pdf-lib/fontkit';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import signpdf from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { PDFDocument, rgb } from 'pdf-lib';
import { toVietnamLocal } from '../../domain/time/vietnam-time';
import { describeName } from '../pki/x509';
import { signDetached, type CmsSigner, type TimeStamper } from './cms';

/**
 * PDF signatures (PAdES baseline B, and B-T with a time-stamp authority): a visible signature block drawn on the last page, a signature
 * field over it (pdf-lib and @signpdf's placeholder), and an ETSI.CAdES.detached CMS over the
 * document's byte range made by the hub's own CMS code (native RSA, signing-certificate-v2; the
 * signing time is the signature dictionary's /M, as PAdES wants, not a CMS attribute).
 */

export interface PdfSignatureOptions {
  /** Why: "Ký số kết quả giải quyết thủ tục hành chính". */
  reason: string;
  /** Where, e.g. "Phường Phú Xuân, thành phố Huế". */
  location: string;
  signingTime: Date;
  /** A TrueType font with Vietnamese glyphs for the visible block. */
  font: Buffer;
  /** A time-stamp authority: the signature then proves its time (PAdES baseline B-T). */
  timeStamp?: TimeStamper | undefined;
}

/**
 * Room for the CMS: three RSA-3072 certificates and the signature take about 6 KB, a time-stamp
 * token with the TSA's certificate about 3 KB more.
 */
const SIGNATURE_LENGTH = 24_576;

class HubCmsSigner extends Signer {
  constructor(
    private readonly signer: CmsSigner,
    private readonly timeStamp: TimeStamper | undefined,
  ) {
    super();
  }

  override async sign(content: Buffer, signingTime?: Date): Promise<Buffer> {
    return signDetached({ bytes: content }, this.signer, signingTime ?? new Date(), {
      signingTimeAttribute: false,
      timeStamp: this.timeStamp,
    });
  }
}

const two = (n: number) => String(n).padStart(2, '0');

/** dd/MM/yyyy HH:mm:ss in Vietnam time, as the block shows it. */
function vietnamTime(date: Date): string {
  const t = toVietnamLocal(date);
  return `${two(t.day)}/${two(t.month)}/${t.year} ${two(t.hour)}:${two(t.minute)}:${two(t.second)} (GMT+7)`;
}

/** Signs a PDF: returns the signed document (the original, rewritten once, plus the signature). */
export async function signPdf(pdf: Buffer, signer: CmsSigner, options: PdfSignatureOptions): Promise<Buffer> {
  const document = await PDFDocument.load(pdf, { updateMetadata: false });
  document.registerFontkit(fontkit);
  const font = await document.embedFont(options.font, { subset: true });
  const page = document.getPage(document.getPageCount() - 1);
  const { width } = page.getSize();
  const subject = signer.certificate.subject;
  const field = (short: string) => String(subject.getField(short)?.value ?? '');
  const signerName = field('CN') || describeName(subject.attributes);
  const lines = [
    `Ký số bởi: ${signerName}`,
    ...(field('O') && field('O') !== signerName ? [`Cơ quan: ${field('O')}`] : []),
    `Thời gian ký: ${vietnamTime(options.signingTime)}`,
    `Lý do: ${options.reason}`,
    `Nơi ký: ${options.location}`,
  ];
  const size = 7.5;
  const boxWidth = Math.min(300, width - 60);
  const boxHeight = lines.length * (size + 3) + 10;
  const rect = [width - boxWidth - 30, 70, width - 30, 70 + boxHeight];
  page.drawRectangle({ x: rect[0]!, y: rect[1]!, width: boxWidth, height: boxHeight, borderColor: rgb(0.75, 0.1, 0.1), borderWidth: 1 });
  lines.forEach((line, i) => {
    page.drawText(line, {
      x: rect[0]! + 5,
      y: rect[3]! - 5 - (i + 1) * (size + 3) + 3,
      size,
      font,
      color: rgb(0.75, 0.1, 0.1),
      maxWidth: boxWidth - 10,
    });
  });
  pdflibAddPlaceholder({
    pdfDoc: document,
    pdfPage: page,
    reason: options.reason,
    contactInfo: '',
    name: signerName,
    location: options.location,
    signingTime: options.signingTime,
    signatureLength: SIGNATURE_LENGTH,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    widgetRect: rect,
    appName: 'onestop-hub',
  });
  const prepared = Buffer.from(await document.save({ useObjectStreams: false }));
  return signpdf.sign(prepared, new HubCmsSigner(signer, options.timeStamp), options.signingTime);
}

export interface EmbeddedPdfSignature {
  /** The bytes the signature covers (its /ByteRange) and its CMS (/Contents). */
  signedContent: Buffer;
  cms: Buffer;
  /** Whether it covers the file to its end: false when revisions were appended after it. */
  coversWholeFile: boolean;
}

/**
 * Every signature of a PDF, in the order they were made: each incremental revision that adds a
 * signature covers everything before it (a person's signature, then the organisation's seal).
 */
export function extractPdfSignatures(pdf: Buffer): EmbeddedPdfSignature[] {
  const text = pdf.toString('latin1');
  const found = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)].map((match) => {
    const [a, b, c, d] = match.slice(1, 5).map(Number) as [number, number, number, number];
    const contents = text.slice(a + b, c).replace(/[<>\s]/g, '');
    return {
      signedContent: Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]),
      cms: trimDer(Buffer.from(contents, 'hex')),
      coversWholeFile: c + d === pdf.length,
      end: c + d,
    };
  });
  if (found.length === 0) throw new Error('the PDF has no signature');
  return found.sort((x, y) => x.end - y.end).map(({ end: _end, ...signature }) => signature);
}

/** /Contents is padded with zeros after the DER: keep the DER's own length. */
function trimDer(bytes: Buffer): Buffer {
  if (bytes[0] !== 0x30) return bytes;
  const first = bytes[1]!;
  if (first < 0x80) return bytes.subarray(0, 2 + first);
  const count = first & 0x7f;
  let length = 0;
  for (let i = 0; i < count; i += 1) length = length * 256 + bytes[2 + i]!;
  return bytes.subarray(0, 2 + count + length);
}
