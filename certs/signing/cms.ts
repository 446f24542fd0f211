import { createHash, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import {
  algorithm,
  asn1,
  bytesOf,
  childrenOf,
  contextSpecific,
  der,
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
 * is built with node-forge's ASN.1 helpers; hashing and the RSA signature are Node's native crypto.
 */

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
} as const;

/** DER of a certificate's subject or issuer Name. */
export function nameDer(name: forge.pki.Certificate['subject']): Buffer {
  return der(forge.pki.distinguishedNameToAsn1(name));
}

export function certificateDer(certificate: forge.pki.Certificate): Buffer {
  return der(forge.pki.certificateToAsn1(certificate));
}

export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest();

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
function signedAttributes(contentDigest: Buffer, signer: CmsSigner, signingTime: Date | null): Asn1[] {
  const essCertId = seq([octets(sha256(certificateDer(signer.certificate)))]);
  return [
    attribute(OID.contentType, oid(OID.data)),
    ...(signingTime ? [attribute(OID.signingTime, time(signingTime))] : []),
    attribute(OID.messageDigest, octets(contentDigest)),
    attribute(OID.signingCertificateV2, seq([seq([essCertId])])),
  ];
}

/** A detached CMS signature (DER) over `content`, or over content whose SHA-256 is `contentDigest`. */
export function signDetached(
  content: { bytes: Buffer } | { sha256: Buffer },
  signer: CmsSigner,
  signingTime: Date,
  /** PAdES puts the signing time in the PDF (/M), not in the CMS. */
  { signingTimeAttribute = true }: { signingTimeAttribute?: boolean } = {},
): Buffer {
  const digest = 'bytes' in content ? sha256(content.bytes) : content.sha256;
  const attributes = derSetOf(signedAttributes(digest, signer, signingTimeAttribute ? signingTime : null));
  const signature = sign('sha256', der(attributes), signer.privateKey);
  // In the SignerInfo the same attributes are [0] IMPLICIT instead of a SET.
  const implicitAttributes = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attributes.value as Asn1[]);
  const signerInfo = seq([
    integer(1),
    seq([forge.pki.distinguishedNameToAsn1(signer.certificate.issuer), integerFromHex(signer.certificate.serialNumber)]),
    algorithm(OID.sha256, false),
    implicitAttributes,
    algorithm(OID.rsaEncryption),
    octets(signature),
  ]);
  const signedData = seq([
    integer(1),
    set([algorithm(OID.sha256, false)]),
    seq([oid(OID.data)]),
    contextSpecific(
      0,
      [signer.certificate, ...signer.chain].map((c) => forge.pki.certificateToAsn1(c)),
    ),
    set([signerInfo]),
  ]);
  return der(seq([oid(OID.signedData), contextSpecific(0, [signedData])]));
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
}

export interface ParsedSignedData {
  certificates: forge.pki.Certificate[];
  signers: ParsedSignerInfo[];
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
    if (parts[position]!.tagClass === asn1.Class.CONTEXT_SPECIFIC) {
      const attributes = childrenOf(parts[position]!);
      signedAttributesDer = der(set(attributes));
      for (const attr of attributes) {
        const [typeOid, values] = childrenOf(attr);
        const value = childrenOf(values!)[0]!;
        const type = asn1.derToOid(typeOid!.value as string);
        if (type === OID.messageDigest) messageDigest = bytesOf(value);
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
    };
  });
  return { certificates, signers, content: eContent };
}
