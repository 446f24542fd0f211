import { createHash } from 'node:crypto';
import { certificateFromPem } from '../../certs/pki/x509';
import { signPdf } from '../../certs/signing/pades';
import { encodeTimeStampRequest, parseTimeStampResponse } from '../../certs/signing/time-stamp';
import { fontData } from '../../forms/fonts';
import { SAMPLE_DATA } from '../../forms/form-samples';
import { renderForm } from '../../forms/render-form';
import { byteRangeFlood, layeredSignatures } from '../support/crafted-pdf';
import { startTestHub, type TestHub } from '../support/test-hub';

interface Answer {
  status: number;
  type: string;
  body: {
    indication?: string;
    errors?: { message: string; extensions: { code: string; reason?: string; details?: Record<string, unknown> } }[];
  };
}

const verifyAt = async (hub: TestHub, file: Buffer): Promise<Answer> => {
  const response = await fetch(`${hub.url}/documents/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/pdf' },
    body: file,
  });
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  return { status: response.status, type, body: /^application\/(problem\+)?json/.test(type) ? JSON.parse(text) : { raw: text } };
};

const refusal = (answer: Answer) => ({
  status: answer.status,
  json: /^application\/problem\+json/.test(answer.type),
  ...answer.body.errors?.[0]?.extensions,
});

/** Pads a hand-written body to `size` bytes before its %%EOF. */
const body = (text: string, size = 400) => Buffer.from(`${text}${' '.repeat(Math.max(0, size - text.length - 6))}%%EOF\n`, 'latin1');

describe('POST /documents/verify does bounded work for anyone: layouts checked first, signatures capped, verification in bounded workers', () => {
  let hub: TestHub;
  let signed: Buffer;

  beforeAll(async () => {
    hub = await startTestHub('verify-bounds');
    const serial = hub.pki.issue({
      profile: 'organisation-signing',
      subject: { commonName: 'Sở Tư pháp tỉnh Huế', organisationIdentifier: '000.00.19.H46' },
    }).record.serialNumber;
    signed = await signPdf(
      await renderForm('01', SAMPLE_DATA['01']),
      {
        certificate: certificateFromPem(hub.pki.certificatePem(serial)),
        privateKey: hub.pki.privateKey(serial),
        chain: [hub.pki.issuingCertificate, hub.pki.rootCertificate],
      },
      { reason: 'Ký số', location: 'Huế', signingTime: new Date(), font: fontData().regular },
    );
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  const verify = (file: Buffer) => verifyAt(hub, file);

  it('crafted PDF with 300 byte ranges: refused as DOCUMENT.TOO_MANY_SIGNATURES before any range is copied', async () => {
    expect(refusal(await verify(byteRangeFlood(300)))).toMatchObject({
      status: 422,
      json: true,
      code: 'BAD_USER_INPUT',
      reason: 'DOCUMENT.TOO_MANY_SIGNATURES',
      details: { maxSignatures: 20 },
    });
  });

  it('crafted PDF with 300 byte ranges, grown to 28,000 in 1 MB: a typed error within the request while /healthz answers', async () => {
    const flood = byteRangeFlood(28_000);
    expect(flood.length).toBe(1024 * 1024);
    const [answer, health] = await Promise.all([verify(flood), fetch(`${hub.url}/healthz`)]);
    expect(refusal(answer)).toMatchObject({ status: 422, json: true, reason: 'DOCUMENT.TOO_MANY_SIGNATURES' });
    expect(health.status).toBe(200);
  });

  it('hostile-suite body /ByteRange[-5 -5 -5 -5] /Contents<zz>: typed problem JSON, never HTML, never 500', async () => {
    const answer = await verify(Buffer.from('%PDF-1.7 /ByteRange[-5 -5 -5 -5] /Contents<zz> %%EOF'));
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(refusal(answer)).toMatchObject({ status: 400, json: true, code: 'BAD_USER_INPUT', reason: 'DOCUMENT.MALFORMED_PDF' });
    expect(answer.body.errors![0]!.message).toMatch(/non-negative integers/);
  });

  it.each([
    ['overlapping ranges', body('%PDF-1.7\n/ByteRange[0 100 50 200] /Contents<3000>\n'), /second range must start after the first/],
    ['a range out of the file', body('%PDF-1.7\n/ByteRange[0 20 30 99999] /Contents<3000>\n'), /past the end of the file/],
    ['a range not from the start', body('%PDF-1.7\n/ByteRange[5 20 30 40] /Contents<3000>\n'), /beginning of the file/],
    ['a hole that is not /Contents', body('%PDF-1.7\n/ByteRange [0 33 39 361]<3000>\n'), /not the value of \/Contents/],
    ['a /Contents that is not hex', body('%PDF-1.7 /Contents<3zz0> /ByteRange [0 18 24 376]\n'), /hex digits/],
    ['a /ByteRange of words', body('%PDF-1.7\n/ByteRange[0 ten 30 40] /Contents<3000>\n'), /non-negative integers/],
    ['a /Contents larger than a signature may be', layeredSignatures(1, 600 * 1024), /longer than 524288 bytes/],
  ])('refuses %s as DOCUMENT.MALFORMED_PDF (400, problem JSON)', async (_label, file, message) => {
    const answer = await verify(file);
    expect(refusal(answer)).toMatchObject({ status: 400, json: true, code: 'BAD_USER_INPUT', reason: 'DOCUMENT.MALFORMED_PDF' });
    expect(answer.body.errors![0]!.message).toMatch(message);
  });

  it('too many signatures: 21 well-laid revisions refused (422); 20 are read and reported as failing signatures', async () => {
    expect(refusal(await verify(layeredSignatures(21, 8)))).toMatchObject({ status: 422, reason: 'DOCUMENT.TOO_MANY_SIGNATURES' });
    const twenty = await verify(layeredSignatures(20, 8));
    expect(twenty.status).toBe(200);
    expect(twenty.body).toMatchObject({ indication: 'FAILED' });
  });

  it('/tsa: hostile bodies walked and refused before parsing (RFC 3161 rejections), too large ones 413 JSON; it stamps on', async () => {
    const post = async (requestBody: Buffer) => {
      const response = await fetch(`${hub.url}/tsa`, {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query' },
        body: requestBody,
      });
      return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
    };
    let deep = Buffer.from([0x02, 0x01, 0x01]);
    while (deep.length < 16_000) deep = Buffer.concat([Buffer.from([0x30, 0x82, deep.length >> 8, deep.length & 0xff]), deep]);
    const valid = encodeTimeStampRequest(createHash('sha256').update('z').digest());
    const hostile: [string, Buffer, string][] = [
      ['16 KB of nesting', deep.subarray(0, 16_000), 'longer than what holds it'],
      ['4,000 nested levels', deep.subarray(deep.length - 4 * 4000 + 1), 'nested deeper than'],
      [
        '5,000 elements',
        Buffer.concat([Buffer.from([0x30, 0x82, 0x3a, 0x98]), Buffer.alloc(15_000, Buffer.from([0x02, 0x01, 0x01]))]),
        'more than 32 elements',
      ],
      ['a request with bytes after it', Buffer.concat([valid, Buffer.alloc(100)]), 'bytes after the request'],
    ];
    for (const [label, requestBody, why] of hostile) {
      const answer = await post(requestBody);
      expect([label, answer.status, answer.type]).toEqual([label, 200, 'application/timestamp-reply']);
      const parsed = parseTimeStampResponse(answer.bytes);
      expect([label, parsed.status]).toEqual([label, 2]);
      expect(answer.bytes.toString('utf8')).toContain(why);
    }
    const tooLarge = await post(Buffer.alloc(16_385, 0x30));
    expect([tooLarge.status, tooLarge.type]).toEqual([413, expect.stringMatching(/^application\/problem\+json/)]);
    expect(parseTimeStampResponse((await post(valid)).bytes).status).toBe(0);
  });

  it('a valid signed PDF still verifies, in a worker, after all of the above', async () => {
    const answer = await verify(signed);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ indication: 'PASSED' });
  });
});

describe('a verification over its time bound is refused, its worker replaced, the hub serving on', () => {
  let hub: TestHub;

  beforeAll(async () => {
    // Too short for any verification: starting a worker alone takes longer.
    hub = await startTestHub('verify-timeout', { VERIFY_TIMEOUT_MS: '1', VERIFY_WORKERS: '1' });
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it('answers DOCUMENT.VERIFICATION_LIMIT (422) for each file, and /healthz meanwhile', async () => {
    for (let round = 0; round < 2; round += 1) {
      const [answer, health] = await Promise.all([verifyAt(hub, layeredSignatures(3, 64)), fetch(`${hub.url}/healthz`)]);
      expect(refusal(answer)).toMatchObject({
        status: 422,
        json: true,
        code: 'BAD_USER_INPUT',
        reason: 'DOCUMENT.VERIFICATION_LIMIT',
        details: { limit: 'time', timeoutMs: 1 },
      });
      expect(health.status).toBe(200);
    }
  });
});
