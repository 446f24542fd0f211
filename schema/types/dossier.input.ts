import { Field, GraphQLISODateTime, InputType, Int, registerEnumType } from 'type-graphql';
import type { DossierStatus as DomainDossierStatus } from '../../domain/dossier/dossier-status';
import { DossierStatus, ReceptionChannel } from './dossier.type';

@InputType({
  description: 'A paper handed in: a new scanned file, an existing digitized document, or (for papers to show) presented at the desk.',
})
export class PaperInput {
  @Field({ description: 'Requirement code within the procedure, e.g. C01.' })
  requirementCode!: string;

  @Field(() => String, { nullable: true, description: 'Code of an already digitized document of the applicant (once-only).' })
  documentCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Name of a newly scanned file.' })
  fileName?: string | null;

  @Field(() => String, { nullable: true, description: 'SHA-256 (hex) of the newly scanned file.' })
  fileSha256?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'A paper to be shown was seen by the officer.' })
  presented?: boolean | null;
}

@InputType({ description: 'A land parcel: commune code, map sheet number (tờ bản đồ số) and parcel number (thửa đất số).' })
export class LandParcelInput {
  @Field({ description: '5-digit code of the commune (since 1 July 2025), e.g. 19753.' })
  communeCode!: string;

  @Field(() => Int, { description: 'Cadastral map sheet number (tờ bản đồ số), from 1.' })
  mapSheetNumber!: number;

  @Field(() => Int, { description: 'Parcel number on that sheet (thửa đất số), from 1.' })
  parcelNumber!: number;
}

@InputType({ description: 'A missing paper and why, for the supplement request (form 02).' })
export class SupplementItemInput {
  @Field()
  requirementCode!: string;

  @Field()
  reason!: string;
}

@InputType({ description: 'Receive a dossier at a desk, by post or online.' })
export class ReceiveDossierInput {
  @Field({ description: 'National procedure code, e.g. 1.001193.' })
  procedureCode!: string;

  @Field({ description: '12-digit personal id or enterprise code of the applicant.' })
  applicantId!: string;

  @Field(() => ReceptionChannel)
  channel!: ReceptionChannel;

  @Field({ description: 'E-identifier code of the receiving desk.' })
  agencyCode!: string;

  @Field(() => [PaperInput], { nullable: true, description: 'The papers handed in; those a registry can supply may be left out.' })
  components?: PaperInput[] | null;

  @Field(() => LandParcelInput, {
    nullable: true,
    description: 'The land parcel the dossier concerns; only for land and building procedures (and those with a land paper).',
  })
  landParcel?: LandParcelInput | null;

  @Field(() => String, {
    nullable: true,
    description:
      'A unique key per intended dossier (8-128 letters, digits, . _ : -; a UUID is a good choice): retrying with the same key never creates a second dossier.',
  })
  idempotencyKey?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'For papers not listed: take the applicant’s newest valid held document of a type the paper accepts (recorded on the paper: takenFromVault). Default false.',
  })
  useHeldDocuments?: boolean | null;
}

@InputType({ description: 'Filters of the dossier list; all optional, combined with AND.' })
export class DossierFilterInput {
  @Field(() => String, { nullable: true })
  agencyCode?: string | null;

  @Field(() => DossierStatus, { nullable: true })
  status?: DomainDossierStatus | null;

  @Field(() => String, { nullable: true })
  procedureCode?: string | null;

  @Field(() => String, { nullable: true })
  applicantId?: string | null;

  @Field(() => LandParcelInput, { nullable: true, description: 'Dossiers about this land parcel.' })
  landParcel?: LandParcelInput | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Received at or after this time.' })
  receivedFrom?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Received before this time.' })
  receivedTo?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Due at or after this time.' })
  dueFrom?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Due before this time.' })
  dueTo?: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only overdue dossiers; false: only those not overdue.' })
  overdue?: boolean | null;
}

export enum ProcedureLevel {
  COMMUNE = 'commune',
  PROVINCE = 'province',
}
registerEnumType(ProcedureLevel, {
  name: 'ProcedureLevel',
  description: 'Which level of government resolves the procedure (since July 2025: commune or province).',
});

@InputType({ description: 'Filters of the procedure list.' })
export class ProcedureFilterInput {
  @Field(() => ProcedureLevel, { nullable: true })
  level?: ProcedureLevel | null;

  @Field(() => String, { nullable: true })
  field?: string | null;

  @Field(() => String, { nullable: true, description: 'Words in the name, or part of the code.' })
  search?: string | null;
}
