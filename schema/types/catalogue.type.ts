import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ProcedureDefinition } from '../../domain/catalogue/procedure-definition';
import { CountedConnection } from './connection.type';

@ObjectType({ description: 'A one-stop desk or competent agency.' })
export class Agency {
  @Field({ description: 'E-identifier code of the agency, e.g. 000.00.01.H22.' })
  code!: string;

  @Field()
  name!: string;

  @Field({ description: 'commune, province, ministry or central.' })
  level!: string;

  @Field(() => String, { nullable: true, description: 'Administrative unit code (2-digit province or 5-digit commune, 2025 codes).' })
  adminUnitCode!: string | null;

  @Field(() => String, { nullable: true, description: 'Code of the agency it belongs to, if any.' })
  parentCode?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: "Roles it plays in procedures' steps (reception, civil-status, police-residence, ...); see docs/API.md.",
  })
  roles?: string[];
}

@ObjectType()
export class AgencyEdge {
  @Field()
  cursor!: string;

  @Field(() => Agency)
  node!: Agency;
}

@ObjectType()
export class AgencyConnection extends CountedConnection {
  @Field(() => [AgencyEdge])
  edges!: AgencyEdge[];
}

export enum DocumentValidityKind {
  NEVER_EXPIRES = 'never-expires',
  EXPIRES_AFTER_MONTHS = 'expires-after-months',
  EXPIRES_AFTER_DAYS = 'expires-after-days',
  STATED_ON_DOCUMENT = 'stated-on-document',
}
registerEnumType(DocumentValidityKind, { name: 'DocumentValidityKind', description: 'How long a document of a type counts.' });

export enum RegistrySource {
  POPULATION = 'population',
  BUSINESS = 'business',
  LAND = 'land',
}
registerEnumType(RegistrySource, {
  name: 'RegistrySource',
  description: 'A national database the hub reads instead of asking for a paper (once-only).',
});

export enum PaperKind {
  ORIGINAL = 'original',
  COPY = 'copy',
  CERTIFIED_COPY = 'certified-copy',
  PRESENT = 'present',
}
registerEnumType(PaperKind, {
  name: 'PaperKind',
  description: 'How a paper is handed in: the original, a plain copy, a certified copy, or shown and handed back (PRESENT).',
});

@ObjectType({ description: 'How long a document counts once issued.' })
export class DocumentValidity {
  @Field(() => DocumentValidityKind)
  kind!: DocumentValidityKind;

  @Field(() => Int, { nullable: true, description: 'For EXPIRES_AFTER_MONTHS: months from the issue date.' })
  months!: number | null;

  @Field(() => Int, { nullable: true, description: 'For EXPIRES_AFTER_DAYS: days from the issue date.' })
  days!: number | null;
}

@ObjectType({
  description:
    'A kind of state-issued paper (birth certificate, land-use certificate, ...), as in reference/catalogue/document-types.json.',
})
export class DocumentType {
  @Field({ description: 'Stable code, e.g. BIRTH_CERTIFICATE.' })
  code!: string;

  @Field({ description: 'Vietnamese name as the law words it.' })
  name!: string;

  @Field()
  nameEn!: string;

  @Field(() => [String], { description: 'Who such a document is issued to: CITIZEN, BUSINESS.' })
  ownerKinds!: string[];

  @Field(() => DocumentValidity)
  validity!: DocumentValidity;

  @Field({ description: 'A newer document of this type for the same owner replaces the older one.' })
  supersededByNewer!: boolean;

  @Field(() => RegistrySource, { nullable: true, description: 'The national database holding the fact this paper proves.' })
  registrySource!: RegistrySource | null;

  @Field({ description: 'The legal text that defines it.' })
  source!: string;

  @Field(() => String, { nullable: true, description: 'What the source leaves open or is not confirmed.' })
  note!: string | null;
}

@ObjectType({ description: 'A paper a procedure asks for.' })
export class Paper {
  @Field({ description: 'Requirement code within the procedure (C01, C02, ...): the requirementCode receiveDossier takes.' })
  code!: string;

  @Field({ description: 'As the national catalogue words it (Vietnamese).' })
  name!: string;

  @Field(() => PaperKind)
  kind!: PaperKind;

  @Field(() => Int)
  quantity!: number;

  @Field({ description: 'false: needed only in the situation `condition` describes, or one of alternatives.' })
  required!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'For a paper not always required: the situation it is needed in, as the catalogue words it ("Trường hợp …").',
  })
  condition!: string | null;

  @Field(() => [DocumentType], { description: 'Types of held document that satisfy it; empty for forms made for the dossier.' })
  acceptedDocumentTypes!: DocumentType[];

  @Field(() => RegistrySource, { nullable: true, description: 'The registry that can supply it, so it need not be brought.' })
  registrySource!: RegistrySource | null;
}

@ObjectType({ description: 'A fee or charge of a procedure.' })
export class Fee {
  @Field()
  name!: string;

  @Field(() => Int, { nullable: true, description: 'Amount in đồng; null where the provincial council sets it (see note).' })
  amountVnd!: number | null;

  @Field(() => String, { nullable: true })
  note!: string | null;
}

@ObjectType({ description: 'A processing step of a procedure.' })
export class ProcedureStep {
  @Field({ description: 'S1, S2, ... in order.' })
  code!: string;

  @Field({ description: 'What happens (Vietnamese).' })
  name!: string;

  @Field({ description: 'RECEIVING_AGENCY (the desk that received the dossier) or ROLE (an agency playing `role`).' })
  agencyKind!: string;

  @Field(() => String, { nullable: true, description: 'The role that takes the step, for agencyKind ROLE.' })
  role!: string | null;

  @Field(() => Int, { description: 'Working days the step may take (0: the same day).' })
  workingDays!: number;
}

@ObjectType({ description: 'An administrative procedure of the national catalogue.' })
export class Procedure {
  @Field({ description: 'National procedure code, e.g. 1.001193.' })
  code!: string;

  @Field()
  name!: string;

  @Field({ description: 'Field (lĩnh vực), e.g. Hộ tịch.' })
  field!: string;

  @Field({ description: 'commune or province.' })
  level!: string;

  @Field(() => Int, { nullable: true, description: 'Resolution time in working days; null for same-day procedures.' })
  resolutionWorkingDays!: number | null;

  @Field({ description: 'Resolved the same working day (or the next morning when received late).' })
  sameDay!: boolean;

  /** The catalogue record behind the fields resolved on demand (papers, fees, steps); not in the graph. */
  definition?: ProcedureDefinition;
}

@ObjectType()
export class ProcedureEdge {
  @Field()
  cursor!: string;

  @Field(() => Procedure)
  node!: Procedure;
}

@ObjectType()
export class ProcedureConnection extends CountedConnection {
  @Field(() => [ProcedureEdge])
  edges!: ProcedureEdge[];
}
