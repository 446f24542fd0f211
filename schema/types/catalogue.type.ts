import { Field, Int, ObjectType } from 'type-graphql';
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
