import { stitchSchemas } from '@graphql-tools/stitch';
import { pruneSchema } from '@graphql-tools/utils';
import { FilterRootFields } from '@graphql-tools/wrap';
import { GraphQLSchema, specifiedDirectives } from 'graphql';
import type { HubContext } from '../schema/context';

/**
 * One graph: the dossier schema (type-graphql) stitched with the registry types that Mesh composed
 * from the upstream API descriptions. The registries' raw root fields are not served: clients reach
 * registry data only through the hub's own fields (`Dossier.applicant`, `citizen`), which add
 * batching, typed errors and, with the security layer, consent checks.
 */
export function buildOneGraph(dossierSchema: GraphQLSchema, registrySchema: GraphQLSchema): GraphQLSchema {
  const stitched = stitchSchemas<HubContext>({
    subschemas: [{ schema: dossierSchema }, { schema: registrySchema, transforms: [new FilterRootFields(() => false)] }],
    typeDefs: /* GraphQL */ `
      extend type Dossier {
        "The applicant as recorded in the national population registry (null when the applicant is a business)."
        applicant: Citizen
      }
      extend type Query {
        "A citizen from the national population registry, by 12-digit personal identification number."
        citizen(personalId: String!): Citizen
      }
    `,
    resolvers: {
      Dossier: {
        applicant: {
          selectionSet: '{ applicantId applicantKind }',
          resolve: (dossier: { applicantId: string; applicantKind: string }, _args: unknown, context: HubContext) =>
            dossier.applicantKind === 'CITIZEN' ? context.loaders.citizens.load(dossier.applicantId) : null,
        },
      },
      Query: {
        citizen: (_root: unknown, args: { personalId: string }, context: HubContext) => context.loaders.citizens.load(args.personalId),
      },
    },
  });
  // Mesh's transport directives and unreachable helper types are internal: drop them from the public schema.
  return pruneSchema(new GraphQLSchema({ ...stitched.toConfig(), directives: [...specifiedDirectives] }));
}
