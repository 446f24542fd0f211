import { createPrivateKey } from 'node:crypto';
import forge from 'node-forge';
import { systemClock, type Clock } from '../../domain/clock';
import {
  algorithm,
  asn1,
  bytesOf,
  childrenOf,
  der,
  integer,
  integerFromHex,
  normaliseSerial,
  octets,
  oid,
  readOid,
  seq,
  type Asn1,
} from '../pki/asn1';
import type { CertificateAuthority } from '../pki/certificate-authority';
import { certificateFromPem, newSerialNumber } from '../pki/x509';
import { OID, parseSignedData, signEncapsulated, type CmsSigner, type ParsedSignedData } from './cms';

/**
 * RFC 3161 time-stamps: the hub's time-stamp authority answers time-stamp requests (over HTTP at
 * /tsa, as `openssl ts` and PDF signers send them) and time-stamps the hub's own signatures, so that
 * a signature proves when it existed (CAdES-T, PAdES B-T) instead of only claiming a time. Tokens
 * are CMS SignedData over a TSTInfo (RFC 5816: with signing-certificate-v2), signed by a
 * certificate with the critical time-stamping purpose from the hub's CA.
 */

/** The hub TSA's policy: its own arc under 2.25 (a UUID as an OID, X.667), needing no registration. */
export const HUB_TSA_POLICY = '2.25.219862538705554452271107501232948613320';

/** The hash algorithms a request may use: the imprint length each needs. */
const IMPRINT_LENGTHS: Readonly<Record<string, number>> = {
  [OID.sha256]: 32,
  '2.16.840.1.101.3.4.2.2': 48, // SHA-384
  '2.16.840.1.101.3.4.2.3': 64, // SHA-512
};

/** PKIFailureInfo bits (RFC 3161 §2.4.2). */
export const FAILURE = { badAlg: 0, badRequest: 2, badDataFormat: 5, unacceptedPolicy: 15 } as const;
export type FailureReason = keyof typeof FAILURE;

export class TimeStampRequestError extends Error {
  constructor(
    readonly failure: FailureReason,
    message: string,
  ) {
    super(message);
  }
}

export interface TimeStampRequest {
  hashAlgorithm: string;
  imprint: Buffer;
  policy: string | null;
  /** The nonce as the DER content of its INTEGER, echoed unchanged. */
  nonce: Buffer | null;
  /** Whether the TSA's certificate must be in the token. */
  certReq: boolean;
}

/** Reads a TimeStampReq (DER); throws TimeStampRequestError with the failure to report. */
export function parseTimeStampRequest(input: Buffer): TimeStampRequest {
  try {
    return readTimeStampRequest(input);
  } catch (error) {
    if (error instanceof TimeStampRequestError) throw error;
    // DER, but not shaped as a TimeStampReq (a field missing, of another type).
    throw new TimeStampRequestError('badRequest', 'The request is not a TimeStampReq.');
  }
}

/**
 * A TimeStampReq is a handful of fields a few levels deep. Its DER is walked first, without
 * recursion or copies: one element filling the body exactly, definite lengths within their parent,
 * so deep nesting or thousands of elements (an anonymous caller's 16 KB) are refused before node-forge
 * builds anything from them.
 */
export const REQUEST_SHAPE = { maxDepth: 6, maxElements: 32 } as const;

function checkRequestShape(input: Buffer): void {
  const notDer = (why: string) => new TimeStampRequestError('badDataFormat', `The request is not DER: ${why}.`);
  if (input.length === 0) throw notDer('it is empty');
  // Where each open constructed element ends; the body itself at the bottom.
  const ends = [input.length];
  let at = 0;
  let elements = 0;
  while (at < input.length) {
    const tag = input[at]!;
    if ((tag & 0x1f) === 0x1f) throw notDer('a tag of more than one byte');
    const first = input[at + 1];
    if (first === undefined) throw notDer('an element without its length');
    let header = 2;
    let length = first;
    if (first >= 0x80) {
      const count = first & 0x7f;
      if (count === 0 || count > 2) throw notDer('an indefinite or oversized length');
      if (at + 2 + count > input.length) throw notDer('a length cut short');
      length = count === 1 ? input[at + 2]! : input.readUInt16BE(at + 2);
      header += count;
    }
    const end = at + header + length;
    if (end > ends.at(-1)!) throw notDer('an element longer than what holds it');
    if (elements === 0 && end !== input.length) throw notDer('bytes after the request');
    elements += 1;
    if (elements > REQUEST_SHAPE.maxElements) throw notDer(`more than ${REQUEST_SHAPE.maxElements} elements`);
    if (tag & 0x20) {
      if (ends.length > REQUEST_SHAPE.maxDepth) throw notDer(`nested deeper than ${REQUEST_SHAPE.maxDepth} levels`);
      ends.push(end);
      at += header;
    } else {
      at = end;
    }
    while (ends.length > 1 && at === ends.at(-1)) ends.pop();
  }
}

function readTimeStampRequest(input: Buffer): TimeStampRequest {
  checkRequestShape(input);
  let fields: Asn1[];
  try {
    fields = childrenOf(asn1.fromDer(input.toString('binary'), true));
  } catch {
    throw new TimeStampRequestError('badDataFormat', 'The request is not DER.');
  }
  const [version, messageImprint] = fields;
  if (
    version?.type !== asn1.Type.INTEGER ||
    asn1.derToInteger(version.value as string) !== 1 ||
    messageImprint?.type !== asn1.Type.SEQUENCE
  )
    throw new TimeStampRequestError('badRequest', 'Expected a version 1 TimeStampReq.');
  const [hashAlgorithmNode, imprintNode] = childrenOf(messageImprint);
  const hashAlgorithm = asn1.derToOid(childrenOf(hashAlgorithmNode!)[0]!.value as string);
  const imprint = bytesOf(imprintNode!);
  if (!(hashAlgorithm in IMPRINT_LENGTHS))
    throw new TimeStampRequestError('badAlg', 'The hash algorithm must be SHA-256, SHA-384 or SHA-512.');
  if (imprint.length !== IMPRINT_LENGTHS[hashAlgorithm])
    throw new TimeStampRequestError('badDataFormat', 'The imprint does not fit its hash algorithm.');
  const request: TimeStampRequest = { hashAlgorithm, imprint, policy: null, nonce: null, certReq: false };
  for (const field of fields.slice(2)) {
    if (field.tagClass !== asn1.Class.UNIVERSAL) throw new TimeStampRequestError('badRequest', 'Extensions are not supported.');
    if (field.type === asn1.Type.OID) request.policy = readOid(field);
    else if (field.type === asn1.Type.INTEGER) request.nonce = bytesOf(field);
    else if (field.type === asn1.Type.BOOLEAN) request.certReq = (field.value as string) !== '\x00';
  }
  if (request.policy && request.policy !== HUB_TSA_POLICY)
    throw new TimeStampRequestError('unacceptedPolicy', 'This TSA issues under its own policy only.');
  return request;
}

/** A TimeStampReq (DER) for an imprint: what a client of a TSA sends. */
export function encodeTimeStampRequest(imprint: Buffer, { nonce, certReq = true }: { nonce?: Buffer; certReq?: boolean } = {}): Buffer {
  return der(
    seq([
      integer(1),
      seq([algorithm(OID.sha256, false), octets(imprint)]),
      ...(nonce ? [integerFromHex(nonce.toString('hex'))] : []),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, certReq ? '\xff' : '\x00'),
    ]),
  );
}

/** GeneralizedTime with milliseconds (RFC 3161 allows the fraction; trailing zeros dropped). */
function generalizedTime(date: Date): Asn1 {
  const iso = date.toISOString(); // 2026-12-03T10:21:39.120Z
  const fraction = iso.slice(20, 23).replace(/0+$/, '');
  const text = `${iso.slice(0, 19).replace(/[-T:]/g, '')}${fraction ? `.${fraction}` : ''}Z`;
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, text);
}

function readGeneralizedTime(node: Asn1): Date {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d+))?Z$/.exec(node.value as string);
  if (!match) throw new Error('genTime is not a UTC GeneralizedTime');
  const [, y, mo, d, h, mi, s, f] = match;
  return new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, Math.round(Number(`0.${f ?? '0'}`) * 1000)));
}

export interface TimeStampInfo {
  policy: string;
  hashAlgorithm: string;
  imprint: Buffer;
  serialNumber: string;
  genTime: Date;
  nonce: Buffer | null;
}

/** A token read back: its TSTInfo and the SignedData around it (signer, certificates). */
export interface ParsedTimeStampToken {
  info: TimeStampInfo;
  signedData: ParsedSignedData;
}

/** Reads a time-stamp token (a ContentInfo with SignedData over a TSTInfo); throws on anything else. */
export function parseTimeStampToken(token: Buffer): ParsedTimeStampToken {
  const signedData = parseSignedData(token);
  if (signedData.contentType !== OID.tstInfo || !signedData.content) throw new Error('not a time-stamp token');
  const fields = childrenOf(asn1.fromDer(signedData.content.toString('binary'), true));
  const [, policyNode, imprintNode, serialNode, timeNode, ...rest] = fields;
  const [algorithmNode, hashNode] = childrenOf(imprintNode!);
  const nonceNode = rest.find((f) => f.tagClass === asn1.Class.UNIVERSAL && f.type === asn1.Type.INTEGER);
  return {
    signedData,
    info: {
      policy: readOid(policyNode!),
      hashAlgorithm: asn1.derToOid(childrenOf(algorithmNode!)[0]!.value as string),
      imprint: bytesOf(hashNode!),
      serialNumber: normaliseSerial(forge.util.bytesToHex(serialNode!.value as string)),
      genTime: readGeneralizedTime(timeNode!),
      nonce: nonceNode ? bytesOf(nonceNode) : null,
    },
  };
}

/** The status of a TimeStampResp and its token, if granted. */
export function parseTimeStampResponse(response: Buffer): { status: number; failureBits: string | null; token: Buffer | null } {
  const [statusInfo, token] = childrenOf(asn1.fromDer(response.toString('binary'), true));
  const statusFields = childrenOf(statusInfo!);
  const failure = statusFields.find((f) => f.type === asn1.Type.BITSTRING);
  return {
    status: asn1.derToInteger(statusFields[0]!.value as string),
    failureBits: failure ? forge.util.bytesToHex(failure.value as string) : null,
    token: token ? der(token) : null,
  };
}

/** The common name of the hub TSA's certificate. */
export const TSA_CERTIFICATE_NAME = 'Onestop Hub Time-Stamp Authority';

/**
 * The hub's time-stamp authority. Its certificate comes from `signer` (asked on every stamp, so a
 * renewed certificate is used at once); its time is the hub's clock.
 */
export class TimeStampAuthority {
  constructor(
    private readonly signer: () => CmsSigner,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * The TSA of the hub's CA: a time-stamping certificate it issues on first use and replaces 30
   * days before expiry; certificate and key are kept in memory between stamps.
   */
  static ofAuthority(authority: CertificateAuthority, clock: Clock = systemClock): TimeStampAuthority {
    let current: { serial: string; signer: CmsSigner } | undefined;
    return new TimeStampAuthority(() => {
      if (!current || !authority.usable(authority.record(current.serial))) {
        const own = authority.ownCertificate('time-stamping', [TSA_CERTIFICATE_NAME]);
        current = {
          serial: own.serialNumber,
          signer: {
            certificate: certificateFromPem(own.certificatePem),
            privateKey: createPrivateKey(own.keyPem),
            chain: [authority.issuingCertificate, authority.rootCertificate],
          },
        };
      }
      return current.signer;
    }, clock);
  }

  /** A token over `imprint` (a SHA-256 unless `hashAlgorithm` says otherwise). */
  stamp(
    imprint: Buffer,
    { hashAlgorithm = OID.sha256, nonce = null, certReq = true }: { hashAlgorithm?: string; nonce?: Buffer | null; certReq?: boolean } = {},
  ): Buffer {
    const genTime = this.clock.now();
    const tstInfo = der(
      seq([
        integer(1),
        oid(HUB_TSA_POLICY),
        seq([algorithm(hashAlgorithm, false), octets(imprint)]),
        integerFromHex(newSerialNumber()),
        generalizedTime(genTime),
        // Accuracy: the clock is NTP-synchronised to well within a second.
        seq([integer(1)]),
        ...(nonce ? [integerFromHex(nonce.toString('hex'))] : []),
      ]),
    );
    // RFC 3161 §2.4.1: the TSA's certificate when asked for (the verifier holds the hub's chain).
    return signEncapsulated(OID.tstInfo, tstInfo, this.signer(), genTime, { certificates: certReq ? 'signer' : 'none' });
  }

  /** Answers a TimeStampReq (DER) with a TimeStampResp (DER): granted, or rejected with the failure. */
  respond(requestDer: Buffer): { response: Buffer; granted: boolean; failure?: FailureReason } {
    let request: TimeStampRequest;
    try {
      request = parseTimeStampRequest(requestDer);
    } catch (error) {
      if (!(error instanceof TimeStampRequestError)) throw error;
      return { response: rejection(error.failure, error.message), granted: false, failure: error.failure };
    }
    const token = this.stamp(request.imprint, { hashAlgorithm: request.hashAlgorithm, nonce: request.nonce, certReq: request.certReq });
    return { response: der(seq([seq([integer(0)]), asn1.fromDer(token.toString('binary'), true)])), granted: true };
  }

  /** The stamper the CMS signer calls with a signature value's SHA-256. */
  readonly timeStamper = (signatureValueDigest: Buffer): Buffer => this.stamp(signatureValueDigest);
}

/** A rejected TimeStampResp: status 2, the reason in text and as its PKIFailureInfo bit. */
function rejection(failure: FailureReason, text: string): Buffer {
  const bit = FAILURE[failure];
  const bytes = Buffer.alloc(Math.floor(bit / 8) + 1);
  bytes[Math.floor(bit / 8)] = 0x80 >> (bit % 8);
  const unused = 7 - (bit % 8);
  const failInfo = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, String.fromCharCode(unused) + bytes.toString('binary'));
  const freeText = seq([asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, forge.util.encodeUtf8(text))]);
  return der(seq([seq([integer(2), freeText, failInfo])]));
}
