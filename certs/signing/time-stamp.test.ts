import { createHash } from 'node:crypto';
import { encodeTimeStampRequest, parseTimeStampRequest, REQUEST_SHAPE } from './time-stamp';

const failureOf = (input: Buffer) => {
  try {
    parseTimeStampRequest(input);
    return undefined;
  } catch (error) {
    const { failure, message } = error as { failure: string; message: string };
    return { failure, message };
  }
};

/** SEQUENCEs inside each other, definite lengths, `depth` deep around an INTEGER. */
const nested = (depth: number) => {
  let der = Buffer.from([0x02, 0x01, 0x01]);
  for (let i = 0; i < depth; i += 1) {
    const length = der.length < 128 ? [der.length] : der.length < 256 ? [0x81, der.length] : [0x82, der.length >> 8, der.length & 0xff];
    der = Buffer.concat([Buffer.from([0x30, ...length]), der]);
  }
  return der;
};

describe('time-stamp requests from anyone: their DER walked and bounded before it is parsed', () => {
  const valid = encodeTimeStampRequest(createHash('sha256').update('x').digest(), { nonce: Buffer.from([0x05, 0x39]) });

  it('reads a request as openssl ts -query sends it', () => {
    expect(parseTimeStampRequest(valid)).toMatchObject({ certReq: true, nonce: Buffer.from([0x05, 0x39]), policy: null });
  });

  it.each([
    ['16 KB of definite-length nesting', nested(5000).subarray(0, 16_000), 'badDataFormat', /the request is not DER/i],
    ['nesting one level deeper than a request needs', nested(REQUEST_SHAPE.maxDepth + 1), 'badDataFormat', /nested deeper than 6 levels/],
    [
      'thousands of elements in one SEQUENCE',
      Buffer.concat([Buffer.from([0x30, 0x82, 0x17, 0x70]), Buffer.alloc(6000, Buffer.from([0x02, 0x01, 0x01]))]),
      'badDataFormat',
      /more than 32 elements/,
    ],
    ['bytes after the request', Buffer.concat([valid, Buffer.from([0x00])]), 'badDataFormat', /bytes after the request/],
    ['indefinite lengths (BER, not DER)', Buffer.from([0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00]), 'badDataFormat', /indefinite/],
    ['a length of four bytes', Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01]), 'badDataFormat', /oversized length/],
    ['an inner length past its parent', Buffer.from([0x30, 0x03, 0x02, 0x05, 0x01]), 'badDataFormat', /longer than what holds it/],
    ['empty', Buffer.alloc(0), 'badDataFormat', /empty/],
  ])('refuses %s', (_label, input, failure, message) => {
    expect(failureOf(input)).toEqual({ failure, message: expect.stringMatching(message) });
  });

  it('a request nested as deep as allowed is parsed and refused for its shape, not its DER', () => {
    expect(failureOf(nested(REQUEST_SHAPE.maxDepth))).toMatchObject({ failure: 'badRequest' });
  });
});
