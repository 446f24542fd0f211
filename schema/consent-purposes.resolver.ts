import { Ctx, Field, GraphQLISODateTime, ObjectType, Query, Resolver } from 'type-graphql';
import { requireClient } from '../domain/access/access-policy';
import type { RegisteredConsentPurpose } from '../store/services/consent-purposes.service';
import type { HubContext } from './context';

@ObjectType({ description: 'A purpose the calling portal may ask citizens’ consent for, as the hub’s operators registered it.' })
export class ConsentPurpose {
  @Field({ description: 'The purpose to name in grantConsent, e.g. prefill:1.001193.' })
  purpose!: string;

  @Field(() => String, { nullable: true, description: 'The procedure a prefill:<code> purpose is for; null for other purposes.' })
  procedureCode!: string | null;

  @Field(() => [String], { description: 'The attributes the purpose covers: a consent for it may ask for these, or fewer.' })
  attributes!: string[];

  @Field(() => String, {
    nullable: true,
    description: 'What the citizen reads on the consent page, in Vietnamese (null: not described yet).',
  })
  descriptionVi!: string | null;

  @Field(() => String, { nullable: true, description: 'The same in English (null: not described yet).' })
  descriptionEn!: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When the purpose was registered or last changed.' })
  updatedAt!: Date;
}

function view(purpose: RegisteredConsentPurpose): ConsentPurpose {
  return {
    purpose: purpose.purpose,
    procedureCode: purpose.procedureCode,
    attributes: [...purpose.attributes],
    descriptionVi: purpose.descriptionVi ?? null,
    descriptionEn: purpose.descriptionEn ?? null,
    updatedAt: purpose.updatedAt,
  };
}

@Resolver()
export class ConsentPurposesResolver {
  @Query(() => [ConsentPurpose], {
    description:
      'The purposes the calling portal may ask citizens’ consent for, each with its attributes and descriptions: what it builds its authorization request from. Only its own.',
  })
  async consentPurposes(@Ctx() context: HubContext): Promise<ConsentPurpose[]> {
    // Reading what it may ask consent for is part of asking for consent: the same right.
    context.authorize({ action: 'consent.grant' });
    requireClient(context.principal);
    return (await context.services.consentPurposes.purposesOf(context.principal.clientId)).map(view);
  }
}
