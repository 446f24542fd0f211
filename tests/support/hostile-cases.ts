import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';

/** Inputs that must be harmless wherever a string goes. */
export const HOSTILE_STRINGS: [string, string][] = [
  ['empty', ''],
  ['SQL injection', "' OR '1'='1' --"],
  ['SQL stacked query', '1; DROP TABLE dossier; --'],
  ['script tag', '<script>alert(1)</script>'],
  ['path traversal', '../../../../etc/passwd'],
  ['JNDI lookup', '${jndi:ldap://127.0.0.1/a}'],
  ['template expression', '{{7*7}}#{7*7}'],
  ['NUL byte', 'H46\u0000-261123-0001'],
  ['right-to-left override', '\u202e1000.00.19.31.H46'],
  ['emoji', '😀😀😀😀😀😀😀😀😀😀😀😀'],
  ['JSON fragment', '{"$gt": ""}'],
  ['very long (20,000 characters)', 'A'.repeat(20_000)],
];

export const HOSTILE_INTS: [string, number | string][] = [
  ['negative', -1],
  ['zero', 0],
  ['above the page limit', 101],
  ['32-bit maximum', 2147483647],
  ['beyond 32 bits', 2147483648],
];

export interface GeneratedCase {
  name: string;
  query: string;
  variables: Record<string, unknown>;
  /** Acceptable `extensions.code` values; `null` means the request must succeed without errors. */
  expect: string[] | null;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f]/;

/** Arguments that take free text: any text is a valid search, so they must answer normally. */
const FREE_TEXT = new Set(['search', 'field']);

/** Valid values for the arguments the suite does not attack in a given case. */
export interface ValidValues {
  byName: Record<string, unknown>;
}

function typeString(type: GraphQLInputType): string {
  return type.toString();
}

/** A valid value for an input type, from the valid-values table (recursively for input objects). */
function validValue(name: string, type: GraphQLInputType, valid: ValidValues): unknown {
  if (name in valid.byName) return valid.byName[name];
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isInputObjectType(inner)) {
    const out: Record<string, unknown> = {};
    for (const field of Object.values(inner.getFields())) {
      if (isNonNullType(field.type) || field.name in valid.byName) out[field.name] = validValue(field.name, field.type, valid);
    }
    return out;
  }
  if (isEnumType(inner)) return inner.getValues()[0]!.value;
  if (!isNonNullType(type)) return null;
  throw new Error(`no valid value for required argument ${name}: ${typeString(type)}; add it to the valid-values table`);
}

interface Slot {
  /** Path from the argument into nested input objects. */
  path: string[];
  type: GraphQLInputType;
}

/** Every scalar/enum position reachable from an argument (input objects expanded). */
function slots(arg: GraphQLArgument): Slot[] {
  const out: Slot[] = [];
  const walk = (path: string[], type: GraphQLInputType, depth: number) => {
    const named = getNamedType(type);
    if (isInputObjectType(named)) {
      if (depth > 3) return;
      for (const field of Object.values(named.getFields())) walk([...path, field.name], field.type, depth + 1);
    } else if (!isListType(isNonNullType(type) ? type.ofType : type)) {
      out.push({ path, type });
    }
  };
  walk([arg.name], arg.type, 0);
  return out;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    node[key] = { ...((node[key] as Record<string, unknown> | null) ?? {}) };
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}

/** A minimal selection for a field's type: __typename, which every object type has. */
function selection(field: GraphQLField<unknown, unknown>): string {
  const named = getNamedType(field.type);
  return isScalarType(named) || isEnumType(named) ? '' : '{ __typename }';
}

/**
 * One case per (root field, scalar position, hostile value): the hostile value goes into one
 * position, every other argument gets a valid value, so the case tests that position alone.
 */
export function generateArgumentCases(schema: GraphQLSchema, valid: ValidValues, identifierErrorCodes: string[]): GeneratedCase[] {
  const cases: GeneratedCase[] = [];
  for (const [operation, rootType] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const) {
    if (!rootType) continue;
    for (const field of Object.values(rootType.getFields())) {
      if (field.name.startsWith('__')) continue;
      const baseArgs: Record<string, unknown> = {};
      for (const arg of field.args) baseArgs[arg.name] = validValue(arg.name, arg.type, valid);
      const declaration = field.args.map((a) => `$${a.name}: ${typeString(a.type)}`).join(', ');
      const call = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const query = `${operation} Hostile${declaration ? `(${declaration})` : ''} { ${field.name}${call ? `(${call})` : ''} ${selection(field)} }`;
      for (const arg of field.args) {
        for (const slot of slots(arg)) {
          const named = getNamedType(slot.type);
          const where = `${rootType.name}.${field.name}(${slot.path.join('.')})`;
          const values: [string, unknown, string[] | null][] = [];
          if (isScalarType(named) && (named.name === 'String' || named.name === 'ID')) {
            const freeText = FREE_TEXT.has(slot.path.at(-1)!);
            // Free text accepts any text, but control characters (NUL) are not text.
            for (const [label, value] of HOSTILE_STRINGS) {
              values.push([label, value, !freeText ? identifierErrorCodes : CONTROL.test(value) ? ['BAD_USER_INPUT'] : null]);
            }
          } else if (isScalarType(named) && named.name === 'Int') {
            for (const [label, value] of HOSTILE_INTS) values.push([label, value, ['BAD_USER_INPUT']]);
          } else if (isEnumType(named)) {
            values.push(['unknown enum value', 'NOT_A_VALUE', ['BAD_USER_INPUT']]);
            values.push(['enum value in lower case', named.getValues()[0]!.name.toLowerCase(), ['BAD_USER_INPUT']]);
          } else if (isScalarType(named)) {
            values.push([`not a ${named.name}`, "' OR 1=1 --", ['BAD_USER_INPUT']]);
            values.push([`number for ${named.name}`, 1e308, ['BAD_USER_INPUT']]);
          }
          for (const [label, value, expect] of values) {
            // A valid page size beyond the limit is a typed refusal too; within it there is nothing hostile.
            if (label === 'zero' || label === 'negative' || label === 'above the page limit' || label === '32-bit maximum') {
              if (!/first/.test(slot.path.at(-1)!)) continue;
            }
            const variables = structuredClone(baseArgs);
            setPath(variables, slot.path, value);
            cases.push({ name: `${where} ← ${label}`, query, variables, expect });
          }
        }
      }
    }
  }
  return cases;
}

export async function introspect(url: string, authorization: string): Promise<GraphQLSchema> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query: getIntrospectionQuery() }),
  });
  const body = (await response.json()) as { data: IntrospectionQuery };
  return buildClientSchema(body.data);
}
