import { createHash } from 'node:crypto';
import signpdf from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import {
  checkSignatureCount,
  checkSignatureLayout,
  malformedSignedPdf,
  type SignatureLayoutLimits,
  type SignatureSpan,
} from '../../domain/documents/signature-layout';
import { toVietnamLocal } from '../../domain/time/vietnam-time';
import { describeName } from '../pki/x509';
import { signDetached, type CmsSigner, type TimeStamper } from './cms';
import { loadPdfLib } from './pdf-lib-loader';

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
    /** The caller's signing time (from the hub's clock), also when the library does not hand it back. */
    private readonly signingTime: Date,
  ) {
    super();
  }

  override async sign(content: Buffer, signingTime?: Date): Promise<Buffer> {
    return signDetached({ bytes: content }, this.signer, signingTime ?? this.signingTime, {
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
  const { PDFDocument, rgb, fontkit, pdflibAddPlaceholder } = await loadPdfLib();
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
  return signpdf.sign(prepared, new HubCmsSigner(signer, options.timeStamp, options.signingTime), options.signingTime);
}

export interface EmbeddedPdfSignature {
  /** The SHA-256 of the bytes the signature covers (its /ByteRange), hashed in place. */
  signedDigest: Buffer;
  /** Those bytes, copied on demand: verification needs only their digest. */
  readonly signedContent: Buffer;
  /** The DER of its /Contents. */
  cms: Buffer;
  /** Whether it covers the file to its end: false when revisions were appended after it. */
  coversWholeFile: boolean;
}

/** What a file may ask of its verification: how many signatures, how large each. */
export const DEFAULT_SIGNATURE_LIMITS: SignatureLayoutLimits = { maxSignatures: 20, maxSignatureBytes: 512 * 1024 };

const BYTE_RANGE = Buffer.from('/ByteRange', 'latin1');
const CONTENTS = '/Contents';

/** Where each /ByteRange is, searched in place; stops one past the cap, so a flood costs no more than a scan. */
function byteRangeOffsets(pdf: Buffer, cap: number): number[] {
  const offsets: number[] = [];
  for (let at = pdf.indexOf(BYTE_RANGE); at !== -1 && offsets.length <= cap; at = pdf.indexOf(BYTE_RANGE, at + BYTE_RANGE.length))
    offsets.push(at);
  return offsets;
}

/** The four numbers after a /ByteRange as written (anything not an integer reads as NaN, for the layout rule to refuse). */
function readByteRange(pdf: Buffer, at: number): number[] {
  const window = pdf.subarray(at + BYTE_RANGE.length, at + BYTE_RANGE.length + 128).toString('latin1');
  const match = /^\s*\[([^\]]{0,100})\]/.exec(window);
  if (!match) throw malformedSignedPdf('a /ByteRange is not followed by [offset length offset length].');
  return match[1]!
    .trim()
    .split(/\s+/)
    .map((token) => (/^-?\d{1,16}$/.test(token) ? Number(token) : Number.NaN));
}

const isHexDigit = (byte: number) => (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
const isPdfWhitespace = (byte: number) =>
  byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0c || byte === 0x00;

/** Checks a /Contents hole: the value of /Contents, a hex string of whole bytes; returns its hex digits' count. */
function checkContents(pdf: Buffer, span: SignatureSpan): number {
  const before = pdf
    .subarray(Math.max(0, span.holeStart - 64), span.holeStart)
    .toString('latin1')
    .trimEnd();
  if (!before.endsWith(CONTENTS)) throw malformedSignedPdf('a /ByteRange’s hole is not the value of /Contents.');
  if (pdf[span.holeStart] !== 0x3c || pdf[span.holeEnd - 1] !== 0x3e)
    throw malformedSignedPdf('a /Contents is not a hex string <…> filling the /ByteRange’s hole.');
  let digits = 0;
  for (let at = span.holeStart + 1; at < span.holeEnd - 1; at += 1) {
    const byte = pdf[at]!;
    if (isHexDigit(byte)) digits += 1;
    else if (!isPdfWhitespace(byte)) throw malformedSignedPdf('a /Contents holds something else than hex digits.');
  }
  if (digits === 0 || digits % 2 !== 0) throw malformedSignedPdf('a /Contents is not a whole number of hex bytes.');
  return digits;
}

/** The signature in a checked /Contents hole. */
function contentsOf(pdf: Buffer, span: SignatureSpan, digits: number): Buffer {
  const inner = pdf.subarray(span.holeStart + 1, span.holeEnd - 1).toString('latin1');
  return trimDer(Buffer.from(digits === inner.length ? inner : inner.replace(/[^0-9A-Fa-f]/g, ''), 'hex'));
}

/**
 * Checks where a PDF's signatures are, against the file and the limits, without copying or hashing
 * anything: how many /ByteRange there are (counted no further than one past the cap), each range
 * (checkSignatureLayout) and each /Contents. Throws DOCUMENT.MALFORMED_PDF or DOCUMENT.TOO_MANY_SIGNATURES.
 */
export function locatePdfSignatures(
  pdf: Buffer,
  limits: SignatureLayoutLimits = DEFAULT_SIGNATURE_LIMITS,
): { span: SignatureSpan; digits: number }[] {
  const offsets = byteRangeOffsets(pdf, limits.maxSignatures);
  checkSignatureCount(offsets.length, limits);
  const spans = checkSignatureLayout(
    offsets.map((at) => readByteRange(pdf, at)),
    pdf.length,
    limits,
  );
  return spans.map((span) => ({ span, digits: checkContents(pdf, span) }));
}

/**
 * Every signature of a PDF, in the order they were made: each incremental revision that adds a
 * signature covers everything before it (a person's signature, then the organisation's seal).
 * Every /ByteRange is checked against the file before anything is copied (checkSignatureLayout):
 * a file decides neither how many signatures are read nor how large they are.
 */
export function extractPdfSignatures(pdf: Buffer, limits: SignatureLayoutLimits = DEFAULT_SIGNATURE_LIMITS): EmbeddedPdfSignature[] {
  return locatePdfSignatures(pdf, limits).map(({ span, digits }) => {
    const before = pdf.subarray(0, span.holeStart);
    const after = pdf.subarray(span.holeEnd, span.end);
    return {
      signedDigest: createHash('sha256').update(before).update(after).digest(),
      get signedContent() {
        return Buffer.concat([before, after]);
      },
      cms: contentsOf(pdf, span, digits),
      coversWholeFile: span.end === pdf.length,
    };
  });
}

/** /Contents is padded with zeros after the DER: keep the DER's own length. */
function trimDer(bytes: Buffer): Buffer {
  if (bytes[0] !== 0x30 || bytes.length < 2) return bytes;
  const first = bytes[1]!;
  if (first < 0x80) return bytes.subarray(0, 2 + first);
  const count = first & 0x7f;
  if (count === 0 || count > 4) return bytes;
  let length = 0;
  for (let i = 0; i < count; i += 1) length = length * 256 + (bytes[2 + i] ?? 0);
  return bytes.subarray(0, 2 + count + length);
}
