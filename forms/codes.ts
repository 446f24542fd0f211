import { InvalidInputError } from '../domain/errors';

/** The barcode writer, loaded with the first form that prints codes (about 5–8 MB the hub holds only then). */
const bwip = async () => (await import('bwip-js')).default;

/** Code 128 of the dossier code, as PNG; bars are 3 px per module so scaling stays crisp in print. */
export async function code128Png(text: string): Promise<Buffer> {
  // Code 128 encodes ASCII only; dossier codes are ASCII by definition.
  if (!/^[\x20-\x7e]+$/.test(text)) {
    throw new InvalidInputError(`A barcode can only hold plain ASCII text, got "${text}".`, { reason: 'FORM.BARCODE_TEXT' });
  }
  return (await bwip()).toBuffer({ bcid: 'code128', text, scale: 3, height: 10, includetext: false });
}

/** QR code (BWIPP's default error correction, M) as PNG. Non-ASCII text is sent as UTF-8 bytes, as phone readers expect. */
export async function qrPng(text: string): Promise<Buffer> {
  const bytes = Buffer.from(text, 'utf8').toString('latin1');
  return (await bwip()).toBuffer({ bcid: 'qrcode', text: bytes, scale: 4 });
}
