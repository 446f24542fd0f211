import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Figures over the dossiers received in the period.' })
export class DossierStatistics {
  @Field(() => String, { nullable: true, description: 'The agency, or null for the total.' })
  agencyCode!: string | null;

  @Field(() => Int)
  received!: number;

  @Field(() => Int)
  resolved!: number;

  @Field(() => Int, { description: 'Resolved before the due day.' })
  early!: number;

  @Field(() => Int, { description: 'Resolved on the due day, by the due time.' })
  onTime!: number;

  @Field(() => Int)
  late!: number;

  @Field(() => Float, { nullable: true, description: '(early + on time) / resolved; null when nothing was resolved.' })
  onTimeRate!: number | null;

  @Field(() => Int, { description: 'Not yet resolved (refused, withdrawn and stopped dossiers excluded).' })
  pending!: number;

  @Field(() => Int, { description: 'Pending and already past the due time.' })
  overdueNow!: number;

  @Field(() => Int)
  refused!: number;

  @Field(() => Int)
  withdrawn!: number;

  @Field(() => Int)
  stopped!: number;

  @Field(() => Int, { description: 'Submitted online.' })
  online!: number;

  @Field(() => Float, { nullable: true })
  onlineShare!: number | null;

  @Field(() => Int, {
    description: 'Papers satisfied at reception from what the state already held: a vault document or a registry confirmation.',
  })
  reusedPapers!: number;

  @Field(() => Int, { description: 'Papers the procedures of these dossiers ask for.' })
  totalPapers!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'reusedPapers / totalPapers: the share of papers satisfied from what the state already held (once-only); null without papers.',
  })
  reuseShare!: number | null;

  @Field(() => Int, {
    description:
      'Papers handed in anew although, at reception, the vault held a valid document of an accepted type or the registry held the fact.',
  })
  missedReuse!: number;

  @Field(() => Int, { description: 'Dossiers with no missed reuse: nothing was asked for that the state already held.' })
  onceOnlyDossiers!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'onceOnlyDossiers / received: the share of dossiers that needed no paper the state already held (Decision 468 aims at 0.8 or more by 2025); null without dossiers.',
  })
  onceOnlyShare!: number | null;

  @Field(() => Float, { nullable: true, description: 'Average satisfaction, 1 to 5.' })
  averageRating!: number | null;

  @Field(() => Int)
  ratings!: number;
}

@ObjectType({ description: 'Monitoring figures for a period, in total and per receiving agency.' })
export class Statistics {
  @Field({ description: 'First day of the period (Vietnam time), YYYY-MM-DD.' })
  from!: string;

  @Field({ description: 'Last day of the period, included.' })
  to!: string;

  @Field(() => String, { nullable: true, description: 'The province (2025 code) the figures were kept to, or null.' })
  province!: string | null;

  @Field(() => DossierStatistics)
  total!: DossierStatistics;

  @Field(() => [DossierStatistics])
  byAgency!: DossierStatistics[];
}
