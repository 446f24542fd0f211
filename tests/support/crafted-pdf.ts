/**
 * Hostile "signed PDFs" for the verification bounds (tests and bench/verify-bounds.bench.ts): what
 * an anonymous caller can POST to /documents/verify.
 */

/**
 * The finding's body: `%PDF-` then `count` /ByteRange entries each asking to copy most of the file,
 * padded with spaces to `size` bytes. Unbounded, every entry was one Buffer.concat of ~`size` bytes.
 */
export function byteRangeFlood(count: number, size = 1024 * 1024): Buffer {
  const half = Math.floor(size / 2);
  const entry = `/ByteRange[0 ${half} ${half} ${half}]\n`;
  const head = '%PDF-1.7\n';
  const tail = '%%EOF\n';
  const body = entry.repeat(count);
  if (head.length + body.length + tail.length > size) throw new Error(`${count} entries do not fit in ${size} bytes`);
  return Buffer.from(head + body + ' '.repeat(size - head.length - body.length - tail.length) + tail, 'latin1');
}

const digits10 = (n: number) => String(n).padStart(10, '0');

/**
 * A file of `signatures` incremental revisions, each with a signature dictionary laid out as a real
 * one is (its /ByteRange around its /Contents, covering everything before it), each /Contents holding
 * `contentsBytes` bytes that are no CMS: a well-formed layout whose signatures fail to verify.
 */
export function layeredSignatures(signatures: number, contentsBytes: number): Buffer {
  let file = '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n';
  for (let i = 0; i < signatures; i += 1) {
    const head = `${i + 2} 0 obj << /Type /Sig /ByteRange [0 XXXXXXXXXX YYYYYYYYYY ZZZZZZZZZZ] /Contents `;
    const hole = `<30${'00'.repeat(Math.max(0, contentsBytes - 1))}>`;
    const tail = ` >> endobj\n%%EOF\n`;
    const holeStart = file.length + head.length;
    const holeEnd = holeStart + hole.length;
    const end = holeEnd + tail.length;
    file +=
      head
        .replace('XXXXXXXXXX', digits10(holeStart))
        .replace('YYYYYYYYYY', digits10(holeEnd))
        .replace('ZZZZZZZZZZ', digits10(end - holeEnd)) +
      hole +
      tail;
  }
  return Buffer.from(file, 'latin1');
}
