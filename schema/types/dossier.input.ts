import { Field, GraphQLISODateTime, InputType, registerEnumType } from 'type-graphql';
import type { DossierStatus as DomainDossierStatus } from '../../domain/dossier/dossier-status';
import { DossierStatus, ReceptionChannel } from './dossier.type';

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

  @Field(() => String, {
    nullable: true,
    description:
      'A unique key per intended dossier (8-128 letters, digits, . _ : -; a UUID is a good choice): retrying with the same key never creates a second dossier.',
  })
  idempotencyKey?: string | null;
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

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Received at or after this time.' })
  receivedFrom?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Received before this time.' })
  receivedTo?: Date | null;
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
