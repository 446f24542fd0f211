/**
 * pdf-lib, its font engine and @signpdf's placeholder, loaded the first time a PDF is signed or a
 * result notice drawn (about 30 MB of memory a hub that never signs does not need to hold).
 */
export async function loadPdfLib() {
  const [{ PDFDocument, rgb }, { default: fontkit }, { pdflibAddPlaceholder }] = await Promise.all([
    import('pdf-lib'),
    import('@pdf-lib/fontkit'),
    import('@signpdf/placeholder-pdf-lib'),
  ]);
  return { PDFDocument, rgb, fontkit, pdflibAddPlaceholder };
}
