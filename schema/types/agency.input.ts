import { Field, InputType } from 'type-graphql';
import { ProcedureLevel } from './dossier.input';

@InputType({ description: 'Filters of the agency list.' })
export class AgencyFilterInput {
  @Field(() => ProcedureLevel, { nullable: true })
  level?: ProcedureLevel | null;

  @Field(() => String, { nullable: true, description: 'Agencies playing this role, e.g. civil-status or land-registration-office.' })
  role?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "A 5-digit commune code (that commune's agencies) or a 2-digit province code (the province's and its communes').",
  })
  adminUnitCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Words in the name, or part of the code.' })
  search?: string | null;
}
