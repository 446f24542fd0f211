import { Field, Float, GraphQLISODateTime, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { DossierView } from '../../store/dossier-view';
import type { DossierScope } from '../../domain/access/access-policy';
import { DOSSIER_STATUSES, type DossierStatus as DomainDossierStatus } from '../../domain/dossier/dossier-status';
import { Agency, Procedure } from './catalogue.type';
import { CountedConnection } from './connection.type';

export const DossierStatus = Object.fromEntries(Object.keys(DOSSIER_STATUSES).map((s) => [s, s])) as {
  [K in DomainDossierStatus]: K;
};
registerEnumType(DossierStatus, {
  name: 'DossierStatus',
  description: 'Dossier status; `nationalStatusCode` gives the national portal code (TrangThaiHoSo 1-10).',
  valuesConfig: Object.fromEntries(
    Object.entries(DOSSIER_STATUSES).map(([name, s]) => [name, { description: `${s.nationalCode}: ${s.label}` }]),
  ),
});

export enum ReceptionChannel {
  DESK = 'DESK',
  POST = 'POST',
  ONLINE = 'ONLINE',
}
registerEnumType(ReceptionChannel, { name: 'ReceptionChannel', description: 'How the dossier was submitted.' });

export enum ApplicantKind {
  CITIZEN = 'CITIZEN',
  BUSINESS = 'BUSINESS',
}
registerEnumType(ApplicantKind, { name: 'ApplicantKind' });

@ObjectType({ description: 'Which land parcel: commune code, map sheet number (tờ bản đồ số), parcel number (thửa đất số).' })
export class LandParcelId {
  @Field()
  communeCode!: string;

  @Field(() => Int)
  mapSheetNumber!: number;

  @Field(() => Int)
  parcelNumber!: number;
}

@ObjectType({ description: 'A dossier (hồ sơ) handled through the one-stop desk.' })
export class Dossier {
  @Field({ description: 'Dossier code `<agency code>-YYMMDD-XXXX`, printed on the receipt.' })
  code!: string;

  @Field(() => DossierStatus)
  status!: DomainDossierStatus;

  @Field(() => Int, { description: 'National portal status code 1-10.' })
  nationalStatusCode!: number;

  @Field({ description: 'Status as shown to citizens (Vietnamese).' })
  statusLabel!: string;

  @Field(() => Procedure)
  procedure!: Procedure;

  @Field(() => Agency)
  receivingAgency!: Agency;

  /** Personal data: resolved by DossierResolver.applicantId only for a caller with a legal basis. */
  @Field({ description: '12-digit personal id or enterprise code of the applicant (personal data: needs a legal basis).' })
  applicantId!: string;

  @Field(() => ApplicantKind)
  applicantKind!: ApplicantKind;

  @Field(() => LandParcelId, { nullable: true, description: 'The land parcel the dossier concerns (land and building procedures).' })
  landParcelId!: LandParcelId | null;

  /** Not a field: the agencies and client involved, for field-level decisions. */
  scope!: DossierScope;

  /** Not a field: the stored dossier, for the resolvers of its parts. */
  entity!: DossierView;

  @Field(() => [String], { description: 'E-identifier codes of every agency the dossier was routed to (they may see and act on it).' })
  handlingAgencyCodes!: string[];

  @Field(() => Agency, { nullable: true, description: 'The agency that has the dossier now.' })
  currentAgency!: Agency | null;

  @Field(() => Int, { nullable: true, description: 'Number in the receiving agency’s register of the year (form 06).' })
  registerNumber!: number | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'The due time before the one extension, if it was extended.' })
  originalDueAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the deadline was extended (the apology letter, form 04).' })
  extensionReason!: string | null;

  @Field(() => String, { nullable: true, description: 'EARLY, ON_TIME or LATE, once resolved.' })
  completion!: string | null;

  @Field(() => String, { nullable: true })
  resultSummary!: string | null;

  @Field(() => String, { nullable: true, description: 'Code of the result document.' })
  resultDocumentCode!: string | null;

  @Field(() => ReceptionChannel, { nullable: true })
  returnChannel!: ReceptionChannel | null;

  @Field(() => Float, { nullable: true, description: 'Fees and charges paid, in đồng.' })
  feesPaidVnd!: number | null;

  @Field(() => Int, { nullable: true, description: 'The citizen’s satisfaction, 1 to 5.' })
  rating!: number | null;

  @Field(() => Int, { description: 'Papers satisfied from what the state already held (documents, registries).' })
  reusedPapers!: number;

  @Field(() => Int)
  totalPapers!: number;

  @Field(() => ReceptionChannel)
  channel!: ReceptionChannel;

  @Field(() => GraphQLISODateTime)
  receivedAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  dueAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  resolvedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  returnedAt!: Date | null;

  @Field({ description: 'Past its due time and not yet resolved.' })
  overdue!: boolean;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;

  @Field(() => Int, { description: 'Optimistic-lock version; changes with every update.' })
  version!: number;
}

@ObjectType({ description: 'Public status of a dossier (kiosk, QR code on the receipt): no personal data.' })
export class DossierStatusView {
  @Field()
  code!: string;

  @Field(() => DossierStatus)
  status!: DomainDossierStatus;

  @Field(() => Int)
  nationalStatusCode!: number;

  @Field()
  statusLabel!: string;

  @Field()
  procedureName!: string;

  @Field()
  receivingAgencyName!: string;

  @Field(() => GraphQLISODateTime)
  receivedAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  dueAt!: Date | null;

  @Field()
  overdue!: boolean;

  @Field(() => String, { nullable: true, description: 'The agency that has the dossier now.' })
  currentAgencyName!: string | null;

  @Field(() => String, { nullable: true, description: 'The step it is in (e.g. Thẩm định, xử lý), while one is open.' })
  currentStepName!: string | null;
}

@ObjectType()
export class DossierEdge {
  @Field()
  cursor!: string;

  @Field(() => Dossier)
  node!: Dossier;
}

@ObjectType()
export class DossierConnection extends CountedConnection {
  @Field(() => [DossierEdge])
  edges!: DossierEdge[];
}
