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

  @Field(() => Float, { nullable: true, description: 'Share of papers satisfied from what the state already held (once-only).' })
  reuseShare!: number | null;

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

  @Field(() => DossierStatistics)
  total!: DossierStatistics;

  @Field(() => [DossierStatistics])
  byAgency!: DossierStatistics[];
}
