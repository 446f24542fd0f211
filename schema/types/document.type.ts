import { Field, GraphQLISODateTime, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum Indication {
  PASSED = 'PASSED',
  INDETERMINATE = 'INDETERMINATE',
  FAILED = 'FAILED',
}
registerEnumType(Indication, {
  name: 'Indication',
  description: 'The overall result (EU DSS): PASSED, INDETERMINATE (cannot be decided: see subIndication), FAILED.',
});

export enum DocumentStatus {
  VALID = 'VALID',
  REVOKED = 'REVOKED',
  SUPERSEDED = 'SUPERSEDED',
}
registerEnumType(DocumentStatus, {
  name: 'DocumentStatus',
  description:
    'Whether a kept document still counts: VALID, REVOKED by its issuing agency, or SUPERSEDED by a newer one of the same type for the same owner. A revoked or superseded document still verifies cryptographically.',
});

@ObjectType({ description: 'A certificate of the signer’s chain, from the signer up.' })
export class CertificateCheck {
  @Field()
  subject!: string;

  @Field()
  serialNumber!: string;

  @Field(() => GraphQLISODateTime)
  notBefore!: Date;

  @Field(() => GraphQLISODateTime)
  notAfter!: Date;

  @Field({ description: 'Valid at the signing time.' })
  validAtSigningTime!: boolean;

  @Field({ description: 'This is the trusted root the chain ends at.' })
  trustedRoot!: boolean;
}

@ObjectType({ description: 'The signer certificate’s revocation status, from its CA’s CRL.' })
export class RevocationCheck {
  @Field({ description: 'CRL, or NONE when no CRL of the issuer was available.' })
  source!: string;

  @Field({ description: 'GOOD, REVOKED or UNKNOWN.' })
  status!: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the CRL consulted was issued.' })
  crlThisUpdate!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;
}

@ObjectType({ description: 'One signature and every check made on it.' })
export class SignatureCheck {
  @Field(() => Indication)
  indication!: Indication;

  @Field(() => String, { nullable: true, description: 'Why, when not PASSED: HASH_FAILURE, REVOKED, NO_CERTIFICATE_CHAIN_FOUND, ...' })
  subIndication!: string | null;

  @Field(() => [String], { description: 'What the officer should know even when it passed (revoked or expired since signing).' })
  notes!: string[];

  @Field(() => String, { nullable: true, description: 'The signer certificate’s subject.' })
  signer!: string | null;

  @Field(() => String, { nullable: true })
  issuer!: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'The signing time the signature claims.' })
  signingTime!: Date | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When a trusted time-stamp authority saw the signature (RFC 3161): the time the checks use, instead of the claimed one.',
  })
  timestamp!: Date | null;

  @Field(() => String, { nullable: true, description: 'The time-stamp authority’s certificate subject.' })
  timestampAuthority!: string | null;

  @Field({ description: 'The document is exactly what was signed.' })
  integrity!: boolean;

  @Field({ description: 'The signature value matches the signer’s key.' })
  signatureValid!: boolean;

  @Field({ description: 'The chain ends at a root the hub trusts.' })
  chainTrusted!: boolean;

  @Field(() => [CertificateCheck])
  chain!: CertificateCheck[];

  @Field(() => RevocationCheck)
  revocation!: RevocationCheck;
}

@ObjectType({ description: 'A kept document, as a verification shows it (no personal data).' })
export class DocumentInfo {
  @Field()
  code!: string;

  @Field({ description: 'DIGITIZED_COPY (sao y) or RESULT.' })
  kind!: string;

  @Field()
  title!: string;

  @Field()
  mediaType!: string;

  @Field(() => Int)
  sizeBytes!: number;

  @Field({ description: 'The organisation that signed it.' })
  agencyName!: string;

  @Field(() => GraphQLISODateTime)
  signedAt!: Date;

  @Field(() => String, { nullable: true, description: 'Its document type (e.g. BIRTH_CERTIFICATE); null when nobody said.' })
  typeCode!: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When the paper was issued (for a result: when it was signed).' })
  issuedAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Past this it no longer counts; null: no end.' })
  validUntil!: Date | null;

  @Field(() => DocumentStatus, { description: 'Whether it still counts, now: a revoked or superseded document still verifies.' })
  status!: DocumentStatus;
}

@ObjectType({ description: 'The verification report of a kept document (modelled on EU DSS).' })
export class DocumentVerification {
  @Field(() => Indication)
  indication!: Indication;

  @Field(() => String, { nullable: true })
  subIndication!: string | null;

  @Field({ description: 'SHA-256 (hex) of the document verified.' })
  documentSha256!: string;

  @Field(() => DocumentInfo, {
    nullable: true,
    description: 'The kept document; null for a signed PDF the hub does not keep (its embedded signature was verified).',
  })
  document!: DocumentInfo | null;

  @Field(() => [SignatureCheck])
  signatures!: SignatureCheck[];

  @Field(() => GraphQLISODateTime, { description: 'When this verification was made.' })
  verifiedAt!: Date;
}

@ObjectType({ description: 'The signed result of a dossier: its document in the vault and the verification of its signature now.' })
export class SignedResult {
  @Field({ description: 'The result document’s code (GET /documents/{code}, its signature.p7s and signature.jws).' })
  documentCode!: string;

  @Field(() => GraphQLISODateTime)
  signedAt!: Date;

  @Field({ description: 'The organisation whose seal signed it.' })
  agencyName!: string;

  @Field()
  signerSerial!: string;

  @Field(() => Indication, { description: 'The verification of its signature, made now.' })
  verification!: Indication;

  @Field(() => String, { nullable: true })
  verificationSubIndication!: string | null;
}

@InputType({ description: 'A paper to digitize (sao y), small enough for a GraphQL request; larger scans go to POST /documents.' })
export class DigitizeDocumentInput {
  @Field({ description: 'What the paper is, e.g. "Giấy khai sinh".' })
  title!: string;

  @Field({ description: 'application/pdf, image/jpeg, image/png or image/tiff (the file’s first bytes must agree).' })
  mediaType!: string;

  @Field({ description: 'The file, base64-encoded (the whole request is limited to MAX_REQUEST_BYTES).' })
  contentBase64!: string;

  @Field(() => String, { nullable: true, description: 'The dossier the paper belongs to (its applicant owns it).' })
  dossierCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Whose paper it is (personal id or enterprise code), when no dossier is named.' })
  ownerId?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Its document type (reference/catalogue/document-types.json, e.g. BIRTH_CERTIFICATE): what lets reception reuse it. Unknown codes are refused.',
  })
  documentType?: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'The issue date printed on the paper; now when omitted.' })
  issuedAt?: Date | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'The end date printed on the paper: required for types whose validity is stated on the document, refused for the others.',
  })
  validUntil?: Date | null;
}

@ObjectType({ description: 'A digitized copy, signed with the agency’s seal and kept in the vault.' })
export class DigitizedDocument {
  @Field({ description: 'The code to print on the copy (GET /documents/{code}).' })
  code!: string;

  @Field()
  sha256!: string;

  @Field({ description: 'The serial number of the seal certificate that signed it.' })
  signerSerial!: string;

  @Field(() => GraphQLISODateTime)
  signedAt!: Date;

  @Field({ description: 'Printed beside the code: lets the owner fetch the copy without an account. Shown only now.' })
  accessKey!: string;

  @Field(() => String, { nullable: true })
  typeCode!: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'From the type’s validity rule; null: never expires.' })
  validUntil!: Date | null;
}

@ObjectType({ description: 'One change of a document’s status.' })
export class DocumentStatusChange {
  @Field(() => DocumentStatus)
  from!: DocumentStatus;

  @Field(() => DocumentStatus)
  to!: DocumentStatus;

  @Field(() => GraphQLISODateTime)
  at!: Date;

  @Field({ description: 'The client that changed it (the vault itself writes the client that issued the superseding document).' })
  by!: string;

  @Field()
  reason!: string;

  @Field(() => String, { nullable: true, description: 'The newer document that superseded it.' })
  supersededBy!: string | null;
}

@ObjectType({ description: 'A dossier that used the document for one of its papers.' })
export class DocumentUseInfo {
  @Field()
  dossierCode!: string;

  @Field({ description: 'The paper (C01, C02, ...) it satisfied.' })
  requirementCode!: string;

  @Field(() => GraphQLISODateTime)
  at!: Date;
}

@ObjectType({ description: 'A kept document’s status, its history and the dossiers that used it.' })
export class DocumentStatusReport {
  @Field()
  code!: string;

  @Field(() => String, { nullable: true })
  typeCode!: string | null;

  @Field({ description: 'DESK_SCAN, DOSSIER_RESULT or REGISTRY_EXTRACT.' })
  source!: string;

  @Field(() => String, {
    nullable: true,
    description: 'For a result, the dossier it resolved; for a scan, the dossier it was digitized into.',
  })
  dossierCode!: string | null;

  @Field({ description: 'The agency that issued it, the only one that may revoke it.' })
  issuingAgencyCode!: string;

  @Field(() => GraphQLISODateTime)
  issuedAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  validUntil!: Date | null;

  @Field(() => DocumentStatus)
  status!: DocumentStatus;

  @Field(() => [DocumentStatusChange], { description: 'Oldest first.' })
  history!: DocumentStatusChange[];

  @Field(() => [DocumentUseInfo])
  usedBy!: DocumentUseInfo[];
}
