import { createHash, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import {
  algorithm,
  asn1,
  bytesOf,
  childrenOf,
  der,
  derOf,
  DER_TAG,
  integer,
  integerFromHex,
  normaliseSerial,
  octets,
  oid,
  readTime,
  seq,
  set,
  time,
  type Asn1,
} from '../pki/asn1';
import { certificateFromAsn1 } from '../pki/x509';

/**
 * CMS (RFC 5652) detached signatures: SignedData over the SHA-256 of a file, the signer's chain
 * included, signed attributes content type, signing time, message digest and the ESS
 * signing-certificate-v2 (RFC 5035, which PAdES and CAdES baseline signatures need). The structure
 * is built with node-forge's ASN.1 helpers; hashing and the signature (RSA, or ECDSA for time-stamp
 * tokens) are Node's native crypto.
 */

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  /** RFC 3161: the content of a time-stamp token, and the unsigned attribute carrying one (CAdES-T). */
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  /** RFC 5758: ECDSA with SHA-256, written without parameters (the time-stamp authority's key). */
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

/** DER of a certificate's subject or issuer Name. */
export function nameDer(name: forge.pki.Certificate['subject']): Buffer {
  return der(forge.pki.distinguishedNameToAsn1(name));
}

const certificateDers = new WeakMap<forge.pki.Certificate, Buffer>();

/** A certificate's DER (kept per certificate object: chain building compares them often). */
export function certificateDer(certificate: forge.pki.Certificate): Buffer {
  let encoded = certificateDers.get(certificate);
  if (!encoded) {
    encoded = der(forge.pki.certificateToAsn1(certificate));
    certificateDers.set(certificate, encoded);
  }
  return encoded;
}

export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest();

const certificateHashes = new WeakMap<forge.pki.Certificate, Buffer>();

/** The SHA-256 of a certificate's DER, as signing-certificate-v2 names the signer (kept per certificate object). */
function certificateHash(certificate: forge.pki.Certificate): Buffer {
  let hash = certificateHashes.get(certificate);
  if (!hash) {
    hash = sha256(certificateDer(certificate));
    certificateHashes.set(certificate, hash);
  }
  return hash;
}

const attribute = (type: string, value: Asn1) => seq([oid(type), set([value])]);

/** DER wants the members of a SET OF in the order of their encodings. */
function derSetOf(items: Asn1[]): Asn1 {
  const sorted = items.map((item) => ({ item, bytes: der(item) })).sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  return set(sorted.map((s) => s.item));
}

export interface CmsSigner {
  certificate: forge.pki.Certificate;
  privateKey: KeyObject;
  /** The certificates from the signer's issuer up to the root, included for the verifier. */
  chain: readonly forge.pki.Certificate[];
}

/** The signed attributes for content with this digest; their DER (as a SET) is what gets signed. */
function signedAttributes(contentType: string, contentDigest: Buffer, signer: CmsSigner, signingTime: Date | null): Asn1[] {
  const essCertId = seq([octets(certificateHash(signer.certificate))]);
  return [
    attribute(OID.contentType, oid(contentType)),
    ...(signingTime ? [attribute(OID.signingTime, time(signingTime))] : []),
    attribute(OID.messageDigest, octets(contentDigest)),
    attribute(OID.signingCertificateV2, seq([seq([essCertId])])),
  ];
}

/** Gets an RFC 3161 time-stamp token (DER) over the SHA-256 of a signature value. */
export type TimeStamper = (signatureValueDigest: Buffer) => Buffer;

interface SignedDataRequest {
  contentType: string;
  digest: Buffer;
  /** The content itself, inside the structure (a time-stamp token's TSTInfo); absent: detached. */
  encapsulated?: Buffer;
  signer: CmsSigner;
  signingTime: Date | null;
  /** Time-stamps the signature value (CAdES-T / PAdES B-T); the token becomes an unsigned attribute. */
  timeStamp?: TimeStamper;
  /** Which certificates travel with it. @default 'chain' (the signer's and its CAs') */
  certificates?: IncludedCertificates;
}

/** The signer's certificate and its CAs, the signer's alone, or none (the verifier holds them). */
export type IncludedCertificates = 'chain' | 'signer' | 'none';

/** Encoded once per certificate: its issuer and serial number, as a SignerInfo names its signer. */
const issuerAndSerials = new WeakMap<forge.pki.Certificate, Buffer>();

function issuerAndSerialNumber(certificate: forge.pki.Certificate): Buffer {
  let encoded = issuerAndSerials.get(certificate);
  if (!encoded) {
    encoded = der(seq([forge.pki.distinguishedNameToAsn1(certificate.issuer), integerFromHex(certificate.serialNumber)]));
    issuerAndSerials.set(certificate, encoded);
  }
  return encoded;
}

const SHA256_ALGORITHM = der(algorithm(OID.sha256, false));
const RSA_ALGORITHM = der(algorithm(OID.rsaEncryption));
// Node signs ECDSA as the DER Ecdsa-Sig-Value CMS wants (RFC 5753).
const ECDSA_SHA256_ALGORITHM = der(algorithm(OID.ecdsaWithSha256, false));

/**
 * The structure is written as DER directly around the parts already encoded (the certificates, a
 * time-stamp token), so a signature costs its hash and its key operation, not node-forge encoding
 * the same certificates again each time.
 */
function buildSignedData(request: SignedDataRequest): Buffer {
  const { signer } = request;
  const attributes = der(derSetOf(signedAttributes(request.contentType, request.digest, signer, request.signingTime)));
  const signature = sign('sha256', attributes, signer.privateKey);
  // In the SignerInfo the same attributes are [0] IMPLICIT instead of a SET: the same bytes, another tag.
  const implicitAttributes = Buffer.from(attributes);
  implicitAttributes[0] = DER_TAG.context0;
  const token = request.timeStamp?.(sha256(signature));
  const signerInfo = derOf(DER_TAG.sequence, [
    der(integer(1)),
    issuerAndSerialNumber(signer.certificate),
    SHA256_ALGORITHM,
    implicitAttributes,
    signer.privateKey.asymmetricKeyType === 'ec' ? ECDSA_SHA256_ALGORITHM : RSA_ALGORITHM,
    der(octets(signature)),
    ...(token
      ? [derOf(DER_TAG.context1, [derOf(DER_TAG.sequence, [der(oid(OID.signatureTimeStampToken)), derOf(DER_TAG.set, [token])])])]
      : []),
  ]);
  const included = request.certificates ?? 'chain';
  const certificates = included === 'none' ? [] : included === 'signer' ? [signer.certificate] : [signer.certificate, ...signer.chain];
  const signedData = derOf(DER_TAG.sequence, [
    // RFC 5652 §5.1: version 3 when the content is not id-data.
    der(integer(request.contentType === OID.data ? 1 : 3)),
    derOf(DER_TAG.set, [SHA256_ALGORITHM]),
    derOf(DER_TAG.sequence, [
      der(oid(request.contentType)),
      ...(request.encapsulated ? [derOf(DER_TAG.context0, [der(octets(request.encapsulated))])] : []),
    ]),
    ...(certificates.length ? [derOf(DER_TAG.context0, certificates.map(certificateDer))] : []),
    derOf(DER_TAG.set, [signerInfo]),
  ]);
  return derOf(DER_TAG.sequence, [der(oid(OID.signedData)), derOf(DER_TAG.context0, [signedData])]);
}

/** A detached CMS signature (DER) over `content`, or over content whose SHA-256 is `contentDigest`. */
export function signDetached(
  content: { bytes: Buffer } | { sha256: Buffer },
  signer: CmsSigner,
  signingTime: Date,
  {
    signingTimeAttribute = true,
    timeStamp,
  }: {
    /** PAdES puts the signing time in the PDF (/M), not in the CMS. */
    signingTimeAttribute?: boolean;
    /** With a time-stamp authority the signature proves when it existed (CAdES-T, PAdES B-T). */
    timeStamp?: TimeStamper | undefined;
  } = {},
): Buffer {
  return buildSignedData({
    contentType: OID.data,
    digest: 'bytes' in content ? sha256(content.bytes) : content.sha256,
    signer,
    signingTime: signingTimeAttribute ? signingTime : null,
    ...(timeStamp ? { timeStamp } : {}),
  });
}

/** A CMS SignedData that carries its content (of type `contentType`), as a time-stamp token does. */
export function signEncapsulated(
  contentType: string,
  content: Buffer,
  signer: CmsSigner,
  signingTime: Date,
  { certificates = 'chain' }: { certificates?: IncludedCertificates } = {},
): Buffer {
  return buildSignedData({ contentType, digest: sha256(content), encapsulated: content, signer, signingTime, certificates });
}

// ------------------------------------------------------------------ reading

export interface ParsedSignerInfo {
  /** DER of the signer certificate's issuer Name (issuerAndSerialNumber). */
  issuerDer: Buffer;
  serialNumber: string;
  digestAlgorithm: string;
  signatureAlgorithm: string;
  signature: Buffer;
  /** DER of the signed attributes as a SET: the bytes the signature covers. */
  signedAttributesDer: Buffer | null;
  messageDigest: Buffer | null;
  signingTime: Date | null;
  /** SHA-256 of the signing certificate, from signing-certificate-v2. */
  signingCertificateHash: Buffer | null;
  /** The content type the signed attributes name (must match the encapsulated one). */
  contentType: string | null;
  /** Time-stamp tokens over the signature value (DER), from the unsigned attributes. */
  signatureTimeStamps: Buffer[];
}

export interface ParsedSignedData {
  certificates: forge.pki.Certificate[];
  signers: ParsedSignerInfo[];
  /** The encapsulated content type (id-data for plain signatures, TSTInfo for time-stamp tokens). */
  contentType: string;
  /** The encapsulated content, when the signature is not detached. */
  content: Buffer | null;
}

/** Reads a CMS SignedData (DER or PEM); throws on anything that is not one. */
export function parseSignedData(input: Buffer): ParsedSignedData {
  const text = input.toString('latin1');
  const derBytes = text.includes('-----BEGIN') ? Buffer.from(text.replace(/-----[^-]+-----|\s+/g, ''), 'base64') : input;
  const root = asn1.fromDer(derBytes.toString('binary'), true);
  const [typeNode, wrapped] = childrenOf(root);
  if (!typeNode || asn1.derToOid(typeNode.value as string) !== OID.signedData || !wrapped) throw new Error('not a CMS SignedData');
  const signedData = childrenOf(childrenOf(wrapped)[0]!);
  let index = 2;
  const encapsulated = childrenOf(signedData[index]!);
  const contentType = asn1.derToOid(encapsulated[0]!.value as string);
  const eContent = encapsulated[1] ? bytesOf(childrenOf(encapsulated[1])[0]!) : null;
  index += 1;
  const certificates: forge.pki.Certificate[] = [];
  while (signedData[index] && signedData[index]!.tagClass === asn1.Class.CONTEXT_SPECIFIC) {
    if (signedData[index]!.type === 0) for (const c of childrenOf(signedData[index]!)) certificates.push(certificateFromAsn1(c));
    index += 1;
  }
  const signers = childrenOf(signedData[index]!).map((info): ParsedSignerInfo => {
    const parts = childrenOf(info);
    const [issuerNode, serialNode] = childrenOf(parts[1]!);
    let position = 3;
    let signedAttributesDer: Buffer | null = null;
    let messageDigest: Buffer | null = null;
    let signingTime: Date | null = null;
    let signingCertificateHash: Buffer | null = null;
    let contentTypeAttribute: string | null = null;
    const signatureTimeStamps: Buffer[] = [];
    if (parts[position]!.tagClass === asn1.Class.CONTEXT_SPECIFIC) {
      const attributes = childrenOf(parts[position]!);
      signedAttributesDer = der(set(attributes));
      for (const attr of attributes) {
        const [typeOid, values] = childrenOf(attr);
        const value = childrenOf(values!)[0]!;
        const type = asn1.derToOid(typeOid!.value as string);
        if (type === OID.messageDigest) messageDigest = bytesOf(value);
        if (type === OID.contentType) contentTypeAttribute = asn1.derToOid(value.value as string);
        if (type === OID.signingTime) signingTime = readTime(value);
        if (type === OID.signingCertificateV2) {
          const essCertId = childrenOf(childrenOf(value)[0]!)[0]!;
          const fields = childrenOf(essCertId);
          const hashNode = fields[0]!.type === asn1.Type.OCTETSTRING ? fields[0]! : fields[1]!;
          signingCertificateHash = bytesOf(hashNode);
        }
      }
      position += 1;
    }
    const unsigned = parts[position + 2];
    if (unsigned?.tagClass === asn1.Class.CONTEXT_SPECIFIC && unsigned.type === 1) {
      for (const attr of childrenOf(unsigned)) {
        const [typeOid, values] = childrenOf(attr);
        if (asn1.derToOid(typeOid!.value as string) === OID.signatureTimeStampToken)
          for (const token of childrenOf(values!)) signatureTimeStamps.push(der(token));
      }
    }
    return {
      issuerDer: der(issuerNode!),
      serialNumber: normaliseSerial(forge.util.bytesToHex(serialNode!.value as string)),
      digestAlgorithm: asn1.derToOid(childrenOf(parts[2]!)[0]!.value as string),
      signatureAlgorithm: asn1.derToOid(childrenOf(parts[position]!)[0]!.value as string),
      signature: bytesOf(parts[position + 1]!),
      signedAttributesDer,
      messageDigest,
      signingTime,
      signingCertificateHash,
      contentType: contentTypeAttribute,
      signatureTimeStamps,
    };
  });
  return { certificates, signers, contentType, content: eContent };
}
