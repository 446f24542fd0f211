import { formatDocumentCode, requireDocumentCode, requireDocumentContent, requireSha256 } from './document';

describe('documents', () => {
  it('codes name the agency, the kind and the day, with 8 unambiguous random characters', () => {
    const code = formatDocumentCode(
      '000.19.31.H46',
      'DIGITIZED_COPY',
      { year: 2026, month: 12, day: 3 },
      new Uint8Array([0, 1, 2, 31, 32, 200, 255, 18]),
    );
    expect(code).toBe('000.19.31.H46-SY-261203-012Z08ZJ');
    expect(requireDocumentCode(code)).toBe(code);
    expect(formatDocumentCode('G01', 'RESULT', { year: 2027, month: 1, day: 9 }, new Uint8Array(8))).toBe('G01-KQ-270109-00000000');
    expect(() => requireDocumentCode('000.19.31.H46-XX-261203-012Z08ZJ')).toThrow(
      expect.objectContaining({ reason: 'DOCUMENT.INVALID_CODE' }),
    );
  });

  it('takes a SHA-256 in either case and refuses anything else', () => {
    expect(requireSha256(` ${'AB'.repeat(32)} `)).toBe('ab'.repeat(32));
    expect(() => requireSha256('ab'.repeat(31))).toThrow(expect.objectContaining({ reason: 'DOCUMENT.INVALID_SHA256' }));
  });

  it('accepts a file only when its first bytes match its type', () => {
    expect(requireDocumentContent('application/pdf', Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(requireDocumentContent('image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(requireDocumentContent('image/tiff', Buffer.from([0x4d, 0x4d, 0x00, 0x2a]))).toBe('image/tiff');
    expect(() => requireDocumentContent('image/jpeg', Buffer.from('%PDF-1.7'))).toThrow(
      expect.objectContaining({ reason: 'DOCUMENT.CONTENT_MISMATCH' }),
    );
    expect(() => requireDocumentContent('text/html', Buffer.from('<html>'))).toThrow(
      expect.objectContaining({ reason: 'DOCUMENT.UNSUPPORTED_TYPE' }),
    );
    expect(() => requireDocumentContent('application/pdf', Buffer.alloc(0))).toThrow(expect.objectContaining({ reason: 'DOCUMENT.EMPTY' }));
  });
});
