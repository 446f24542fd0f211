import forge from 'node-forge';

/**
 * The few ASN.1 building and reading blocks the PKI needs (certificates, CRLs, CMS), over node-forge's
 * ASN.1 module: DER in Buffers, times as RFC 5280 wants them, serial numbers compared one way.
 */

export const { asn1 } = forge;
export type Asn1 = forge.asn1.Asn1;

const universal = (type: forge.asn1.Type, constructed: boolean, value: string | Asn1[]) =>
  asn1.create(asn1.Class.UNIVERSAL, type, constructed, value);

export const seq = (items: Asn1[]) => universal(asn1.Type.SEQUENCE, true, items);
export const set = (items: Asn1[]) => universal(asn1.Type.SET, true, items);
/** OID content octets; arcs of any size (forge stops at 32 bits, and UUID arcs under 2.25 need 128). */
function oidContent(value: string): string {
  const arcs = value.split('.').map(BigInt);
  const bytes: number[] = [];
  const first = [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)];
  for (let arc of first) {
    const group = [Number(arc & 0x7fn)];
    for (arc >>= 7n; arc > 0n; arc >>= 7n) group.unshift(Number(arc & 0x7fn) | 0x80);
    bytes.push(...group);
  }
  return String.fromCharCode(...bytes);
}

/** Encoded once per OID: every signature writes the same handful. */
const oidContents = new Map<string, string>();

export function oid(value: string): Asn1 {
  let content = oidContents.get(value);
  if (content === undefined) {
    content = oidContent(value);
    if (oidContents.size < 1024) oidContents.set(value, content);
  }
  return universal(asn1.Type.OID, false, content);
}

/** The dotted form of an OID node, arcs of any size. */
export function readOid(node: Asn1): string {
  const bytes = Buffer.from(node.value as string, 'binary');
  const arcs: bigint[] = [];
  let arc = 0n;
  for (const byte of bytes) {
    arc = (arc << 7n) | BigInt(byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(arc);
      arc = 0n;
    }
  }
  const head = arcs[0] ?? 0n;
  const [a, b] = head < 80n ? [head / 40n, head % 40n] : [2n, head - 80n];
  return [a, b, ...arcs.slice(1)].join('.');
}
export const octets = (bytes: Buffer) => universal(asn1.Type.OCTETSTRING, false, bytes.toString('binary'));
export const integer = (value: number) => universal(asn1.Type.INTEGER, false, asn1.integerToDer(value).getBytes());
/** An INTEGER from its big-endian hex (a serial number). */
export const integerFromHex = (hex: string) => universal(asn1.Type.INTEGER, false, forge.util.hexToBytes(hex));
export const nullValue = () => universal(asn1.Type.NULL, false, '');
export const enumerated = (value: number) => universal(asn1.Type.ENUMERATED, false, String.fromCharCode(value));
/** A BIT STRING of whole bytes (a signature). */
export const bitString = (bytes: string) => universal(asn1.Type.BITSTRING, false, String.fromCharCode(0) + bytes);
export const algorithm = (id: string, withNull = true) => seq(withNull ? [oid(id), nullValue()] : [oid(id)]);
export const contextSpecific = (tag: number, items: Asn1[]) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, items);

/** RFC 5280: UTCTime through 2049, GeneralizedTime after. */
export const time = (date: Date) =>
  date.getUTCFullYear() < 2050
    ? universal(asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : universal(asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));

export const isTime = (node: Asn1 | undefined) => node?.type === asn1.Type.UTCTIME || node?.type === asn1.Type.GENERALIZEDTIME;

export const readTime = (node: Asn1) =>
  node.type === asn1.Type.UTCTIME ? asn1.utcTimeToDate(node.value as string) : asn1.generalizedTimeToDate(node.value as string);

export const der = (node: Asn1) => Buffer.from(asn1.toDer(node).getBytes(), 'binary');

/**
 * A constructed DER element (tag byte, definite length) around contents already in DER: signatures
 * splice certificates and time-stamp tokens this way instead of node-forge re-encoding them each time.
 */
export function derOf(tag: number, contents: readonly Buffer[]): Buffer {
  const length = contents.reduce((n, c) => n + c.length, 0);
  let header: Buffer;
  if (length < 0x80) header = Buffer.from([tag, length]);
  else if (length < 0x100) header = Buffer.from([tag, 0x81, length]);
  else if (length < 0x10000) header = Buffer.from([tag, 0x82, length >> 8, length & 0xff]);
  else if (length < 0x1000000) header = Buffer.from([tag, 0x83, length >> 16, (length >> 8) & 0xff, length & 0xff]);
  else header = Buffer.from([tag, 0x84, length >>> 24, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff]);
  return Buffer.concat([header, ...contents], header.length + length);
}

/** Tag bytes of the constructed elements `derOf` writes. */
export const DER_TAG = { sequence: 0x30, set: 0x31, context0: 0xa0, context1: 0xa1 } as const;
export const childrenOf = (node: Asn1) => node.value as Asn1[];
export const bytesOf = (node: Asn1) => Buffer.from(node.value as string, 'binary');

/** Serial numbers compared as lower-case hex without leading zero bytes (DER and Node may add one). */
export const normaliseSerial = (hex: string) => hex.toLowerCase().replace(/^(00)+(?=[0-9a-f]{2})/, '');
