import { Field, GraphQLISODateTime, Int, ObjectType, createUnionType } from 'type-graphql';
import { Dossier } from './dossier.type';

@ObjectType({
  description: 'A paper of the dossier and how it was satisfied (a new file, a document the state holds, a registry, shown at the desk).',
})
export class DossierPaper {
  @Field({ description: 'Requirement code within the procedure, e.g. C01.' })
  requirementCode!: string;

  @Field()
  name!: string;

  @Field({ description: 'NEW_FILE, DOCUMENT, REGISTRY or PRESENTED.' })
  source!: string;

  @Field(() => String, { nullable: true })
  documentCode!: string | null;

  @Field(() => String, { nullable: true })
  fileName!: string | null;

  @Field(() => String, { nullable: true, description: 'SHA-256 of the scanned file.' })
  fileSha256!: string | null;

  @Field(() => String, { nullable: true, description: 'The registry that supplied it (once-only).' })
  registry!: string | null;

  @Field(() => String, { nullable: true, description: 'The fact the registry confirmed for this paper (e.g. identity, currentResidence).' })
  registryAttribute!: string | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When that fact last changed in the registry (null when it does not say).',
  })
  registryUpdatedAt!: Date | null;

  @Field({ description: 'The hub took the document from the applicant’s vault (useHeldDocuments) rather than the caller naming it.' })
  takenFromVault!: boolean;

  @Field(() => GraphQLISODateTime)
  suppliedAt!: Date;

  @Field({ description: 'Handed in answering a supplement request.' })
  supplement!: boolean;
}

@ObjectType({ description: 'One line of the processing control sheet (form 05).' })
export class ProcessingStep {
  @Field(() => Int)
  sequence!: number;

  @Field()
  stepCode!: string;

  @Field()
  name!: string;

  @Field({ description: 'The agency that has (or had) the dossier in this step.' })
  agencyCode!: string;

  @Field()
  agencyName!: string;

  @Field(() => String, { nullable: true, description: 'The agency that handed it over.' })
  fromAgencyCode!: string | null;

  @Field(() => String, { nullable: true })
  handedOverBy!: string | null;

  @Field(() => GraphQLISODateTime)
  handedOverAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  dueAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  completedAt!: Date | null;

  @Field(() => String, { nullable: true })
  completedBy!: string | null;

  @Field(() => String, { nullable: true })
  result!: string | null;

  @Field(() => String, { nullable: true })
  note!: string | null;
}

@ObjectType({ description: 'An entry of the dossier’s timeline: what was done, by whom, and the status before and after.' })
export class DossierActivity {
  @Field(() => GraphQLISODateTime)
  at!: Date;

  @Field()
  action!: string;

  @Field({ description: 'The API client (or officer) that did it.' })
  actor!: string;

  @Field(() => String, { nullable: true })
  fromStatus!: string | null;

  @Field(() => String, { nullable: true })
  toStatus!: string | null;

  @Field(() => String, { nullable: true })
  note!: string | null;
}

@ObjectType({ description: 'A paper the procedure requires that was not handed in.' })
export class MissingPaper {
  @Field()
  requirementCode!: string;

  @Field()
  name!: string;

  @Field({ description: 'original, copy, certified-copy or present.' })
  kind!: string;

  @Field(() => Int)
  quantity!: number;

  @Field({
    description:
      'Why it is missing: UNKNOWN, NOT_OWNER, WRONG_TYPE, REVOKED, EXPIRED, SUPERSEDED (the named document), REGISTRY_UNAVAILABLE, NOT_IN_REGISTRY (the registry), NOT_HANDED_IN, MUST_BE_HANDED_IN.',
  })
  reasonCode!: string;

  @Field({ description: 'Officer-readable, Vietnamese first.' })
  reason!: string;
}

@ObjectType({ description: 'A paper handed in anew at reception although the state held it: what could have been reused.' })
export class MissedReusePaper {
  @Field()
  requirementCode!: string;

  @Field({ description: 'DOCUMENT (a valid held document of an accepted type) or REGISTRY (the registry confirmed the fact).' })
  source!: string;

  @Field(() => String, { nullable: true })
  documentCode!: string | null;

  @Field(() => String, { nullable: true })
  registry!: string | null;

  @Field(() => String, { nullable: true })
  attribute!: string | null;
}

@ObjectType({ description: 'The dossier was received: its code, due date and receipt.' })
export class DossierReceived {
  @Field(() => Dossier)
  dossier!: Dossier;
}

@ObjectType({ description: 'Nothing was saved: these papers are missing (all of them, listed once, as for form 02).' })
export class DossierIncomplete {
  @Field()
  procedureCode!: string;

  @Field(() => [MissingPaper])
  missing!: MissingPaper[];

  @Field()
  message!: string;
}

export const ReceptionOutcome = createUnionType({
  name: 'ReceptionOutcome',
  description: 'Either the received dossier, or the complete list of what is missing; never a half-saved dossier.',
  types: () => [DossierReceived, DossierIncomplete] as const,
  resolveType: (value) => ('dossier' in value ? DossierReceived : DossierIncomplete),
});
