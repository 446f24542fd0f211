import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  getNamedType,
  isObjectType,
  isInterfaceType,
  Kind,
  type FieldNode,
  type GraphQLNamedType,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

export interface QueryLimits {
  /** @default 10 */
  maxDepth: number;
  /** @default 5000 */
  maxCost: number;
  /** @default 15 */
  maxAliases: number;
  /** @default 2000 */
  maxTokens: number;
  /** Items counted for a list whose `first` is a variable (its value is not known when the document is validated). @default 100 */
  assumedListSize: number;
  /** Items counted for a list whose `first` is left out (the page size the resolvers default to). @default 20 */
  defaultListSize: number;
}

/** Arguments that say how many items a list field returns. */
const LIST_SIZE_ARGUMENTS = ['first', 'last'];
const OBJECT_COST = 2;
const SCALAR_COST = 1;

/**
 * The estimated cost of an operation: each field costs 1 (a scalar) or 2 (an object), and a field
 * with a `first` argument multiplies the cost of everything under it by that number, so aliases ×
 * page size × nested look-ups are counted as the work they are (15 aliases × 100 dossiers × a land
 * parcel each is 1,500 registry calls, not 45 fields). Introspection fields are free.
 */
export function estimateCost(
  context: Pick<ValidationContext, 'getSchema' | 'getFragment'>,
  selectionSet: SelectionSetNode,
  parentType: GraphQLNamedType | undefined,
  sizes: { assumedListSize: number; defaultListSize: number },
  visiting: Set<string> = new Set(),
): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      cost += fieldCost(context, selection, parentType, sizes, visiting);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? context.getSchema().getType(selection.typeCondition.name.value) : parentType;
      cost += estimateCost(context, selection.selectionSet, type ?? undefined, sizes, visiting);
    } else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      // A cycle is refused by GraphQL's own rules; here it just stops counting.
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      cost += estimateCost(
        context,
        fragment.selectionSet,
        context.getSchema().getType(fragment.typeCondition.name.value) ?? undefined,
        sizes,
        visiting,
      );
      visiting.delete(name);
    }
  }
  return cost;
}

function fieldCost(
  context: Pick<ValidationContext, 'getSchema' | 'getFragment'>,
  field: FieldNode,
  parentType: GraphQLNamedType | undefined,
  sizes: { assumedListSize: number; defaultListSize: number },
  visiting: Set<string>,
): number {
  if (field.name.value.startsWith('__')) return 0;
  const definition =
    parentType && (isObjectType(parentType) || isInterfaceType(parentType)) ? parentType.getFields()[field.name.value] : undefined;
  let factor = 1;
  const sizeArgument = definition?.args.find((arg) => LIST_SIZE_ARGUMENTS.includes(arg.name));
  if (sizeArgument) {
    const given = field.arguments?.find((arg) => arg.name.value === sizeArgument.name)?.value;
    if (!given) factor = typeof sizeArgument.defaultValue === 'number' ? sizeArgument.defaultValue : sizes.defaultListSize;
    else if (given.kind === Kind.INT) factor = Math.max(1, Number.parseInt(given.value, 10));
    else if (given.kind === Kind.VARIABLE) factor = sizes.assumedListSize;
  }
  const own = field.selectionSet ? OBJECT_COST : SCALAR_COST;
  const below = field.selectionSet
    ? estimateCost(context, field.selectionSet, definition ? getNamedType(definition.type) : undefined, sizes, visiting)
    : 0;
  return (own + below) * factor;
}

/** Refuses an operation whose estimated cost (estimateCost) is over `maxCost`, as graphql-armor words it (mapped to QUERY_TOO_COMPLEX). */
export function costLimitRule(limits: Pick<QueryLimits, 'maxCost' | 'assumedListSize' | 'defaultListSize'>): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const root =
        operation.operation === 'query'
          ? context.getSchema().getQueryType()
          : operation.operation === 'mutation'
            ? context.getSchema().getMutationType()
            : context.getSchema().getSubscriptionType();
      const cost = estimateCost(context, operation.selectionSet, root ?? undefined, limits);
      if (cost > limits.maxCost) {
        context.reportError(
          new GraphQLError(
            `Cost limit of ${limits.maxCost} exceeded: the query would cost about ${cost} (each "first" multiplies the fields under it; variables count as ${limits.assumedListSize}).`,
            { nodes: [operation] },
          ),
        );
      }
    },
  });
}

/**
 * Depth, alias and directive limits (graphql-armor), the hub's own cost limit that counts list sizes
 * (costLimitRule), and no field suggestions in error messages (they would reveal the schema with
 * introspection off). The token limit is GraphQL's own parser option (`parseOptions`), which refuses
 * the document while parsing it, as a parse error (HTTP 400). Introspection is exempt from depth and
 * cost: it is off in production and tools need it elsewhere.
 */
export function queryLimits(limits: QueryLimits): {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
  parseOptions: { maxTokens: number };
} {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    costLimit: { enabled: false },
    maxAliases: { n: limits.maxAliases },
    maxTokens: { enabled: false },
    maxDirectives: { n: 20 },
    blockFieldSuggestion: { enabled: true },
  });
  const { plugins, validationRules } = armor.protect();
  return { plugins, validationRules: [...validationRules, costLimitRule(limits)], parseOptions: { maxTokens: limits.maxTokens } };
}
