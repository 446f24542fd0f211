import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  isSpecifiedScalarType,
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
  /** Text every error message must contain (the caller's own variable name). */
  messageIncludes?: string;
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

/** Malformed values every custom scalar must refuse, whatever its format. */
const MALFORMED_SCALAR_VALUES: [string, unknown][] = [
  ['SQL text', "' OR 1=1 --"],
  ['empty string', ''],
  ['huge number', 1e308],
  ['boolean', true],
  ['object', { $gt: '' }],
  ['list', ['2026-01-01']],
];

/** Near misses of a scalar's own format, by scalar name (a value that looks right and is not). */
const NEAR_MISSES: Record<string, [string, unknown][]> = {
  Date: [
    ['30 February', '2026-02-30'],
    ['no leading zeros', '2026-1-1'],
    ['a date-time', '2026-01-01T00:00:00Z'],
    ['a five-digit year', '+20000-01-01'],
  ],
  DateTimeISO: [
    ['30 February', '2026-02-30T09:00:00Z'],
    ['a space instead of T', '2026-01-01 09:00:00'],
    ['hour 25', '2026-01-01T25:00:00Z'],
    ['words', 'tomorrow at nine'],
  ],
};

export interface ScalarCoverage {
  /** Custom scalars a caller can give a value of (some argument or input field has that type). */
  input: string[];
  /** Custom scalars only returned, never accepted: a variable of that type fits no argument. */
  outputOnly: string[];
}

/** The served schema's custom scalars, split by whether any argument accepts one. */
export function scalarCoverage(schema: GraphQLSchema): ScalarCoverage {
  const custom = Object.values(schema.getTypeMap())
    .filter((type) => isScalarType(type) && !isSpecifiedScalarType(type) && !type.name.startsWith('__'))
    .map((type) => type.name)
    .sort();
  const input = new Set<string>();
  for (const rootType of [schema.getQueryType(), schema.getMutationType()]) {
    for (const field of Object.values(rootType?.getFields() ?? {})) {
      for (const arg of field.args) for (const slot of slots(arg)) input.add(getNamedType(slot.type).name);
    }
  }
  return { input: custom.filter((name) => input.has(name)), outputOnly: custom.filter((name) => !input.has(name)) };
}

/** The variable a generated query declares for an argument: never the argument's own name, so a message naming it is the caller's. */
export const variableFor = (argument: string) => `in_${argument}`;

/**
 * One case per (root field, position of a custom scalar, malformed value), sent as a variable: the
 * one graph must refuse it as BAD_USER_INPUT naming the caller's variable (`$in_<argument>`), never
 * a name the delegation made up. For output-only scalars, a variable of that type put where a
 * String goes is refused by validation (it can reach no coercion at all).
 */
export function generateScalarCases(schema: GraphQLSchema, valid: ValidValues): GeneratedCase[] {
  const coverage = scalarCoverage(schema);
  const cases: GeneratedCase[] = [];
  for (const [operation, rootType] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const) {
    for (const field of Object.values(rootType?.getFields() ?? {})) {
      const baseArgs: Record<string, unknown> = {};
      for (const arg of field.args) baseArgs[variableFor(arg.name)] = validValue(arg.name, arg.type, valid);
      const declaration = field.args.map((a) => `$${variableFor(a.name)}: ${typeString(a.type)}`).join(', ');
      const call = field.args.map((a) => `${a.name}: $${variableFor(a.name)}`).join(', ');
      const query = `${operation} HostileScalar${declaration ? `(${declaration})` : ''} { ${field.name}${call ? `(${call})` : ''} ${selection(field)} }`;
      for (const arg of field.args) {
        for (const slot of slots(arg)) {
          const named = getNamedType(slot.type);
          if (!isScalarType(named) || isSpecifiedScalarType(named)) continue;
          const values = [
            ...MALFORMED_SCALAR_VALUES,
            ...(NEAR_MISSES[named.name] ?? []),
            ...(isNonNullType(slot.type) ? ([['null', null]] as [string, unknown][]) : []),
          ];
          for (const [label, value] of values) {
            const variables = structuredClone(baseArgs);
            setPath(variables, [variableFor(arg.name), ...slot.path.slice(1)], value);
            cases.push({
              name: `${named.name} at ${rootType!.name}.${field.name}(${slot.path.join('.')}) ← ${label}`,
              query,
              variables,
              expect: ['BAD_USER_INPUT'],
              messageIncludes: `"$${variableFor(arg.name)}"`,
            });
          }
        }
      }
    }
  }
  const stringSlot = Object.values(schema.getQueryType()!.getFields()).find((field) =>
    field.args.some((arg) => getNamedType(arg.type).name === 'String' && isNonNullType(arg.type)),
  );
  for (const scalar of coverage.outputOnly) {
    if (!stringSlot) break;
    const arg = stringSlot.args.find((a) => getNamedType(a.type).name === 'String' && isNonNullType(a.type))!;
    cases.push({
      name: `${scalar} (output only) as a variable where a String goes`,
      query: `query HostileScalar($in_value: ${scalar}!) { ${stringSlot.name}(${arg.name}: $in_value) ${selection(stringSlot)} }`,
      variables: { in_value: "' OR 1=1 --" },
      expect: ['GRAPHQL_VALIDATION_FAILED'],
    });
  }
  return cases;
}

/** A route of the HTTP surface as docs/API.md lists it (`{code}` placeholders kept). */
export interface DocumentedRoute {
  method: string;
  path: string;
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Every `METHOD /path` in the first column of the HTTP surface table of docs/API.md. */
export function documentedRoutes(apiMarkdown: string): DocumentedRoute[] {
  const surface = apiMarkdown.split('## HTTP surface')[1]?.split('\n## ')[0] ?? '';
  const routes: DocumentedRoute[] = [];
  for (const line of surface.split('\n')) {
    const first = line.startsWith('| `') ? line.split(' | ')[0]! : '';
    for (const match of first.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^`\s?]*)/g)) {
      if (!routes.some((r) => r.method === match[1] && r.path === match[2])) routes.push({ method: match[1]!, path: match[2]! });
    }
  }
  return routes;
}

export interface RestCase {
  name: string;
  method: string;
  /** With placeholders filled. */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** The documented method of a documented path: the hub must not answer that it has no such route. */
  documented: boolean;
}

/**
 * Malformed requests for every documented route: every other method, and with the documented
 * method a broken path escape, an unknown sub-path and, for POST, malformed, mistyped, oversized,
 * strangely encoded and empty bodies. `fill` turns `{code}` placeholders into values; nothing in
 * these cases may write.
 */
export function generateRestCases(routes: DocumentedRoute[], fill: (path: string) => string, oversizeBytes: number): RestCase[] {
  const cases: RestCase[] = [];
  const paths = [...new Set(routes.map((route) => route.path))];
  for (const template of paths) {
    const documented = routes.filter((route) => route.path === template).map((route) => route.method);
    const path = fill(template);
    for (const method of HTTP_METHODS.filter((m) => !documented.includes(m))) {
      cases.push({
        name: `${method} ${template} (not its method)`,
        method,
        path,
        headers: method === 'GET' || method === 'DELETE' ? {} : { 'content-type': 'application/json' },
        ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }),
        documented: false,
      });
    }
    for (const method of documented) {
      const at = `${method} ${template}`;
      if (template.includes('{')) {
        cases.push({
          name: `${at} with a broken %-escape in the path`,
          method,
          path: fill(template.replace(/\{[^}]+\}(?!.*\{)/, '%E0%A4%A')),
          headers: {},
          documented: true,
        });
      }
      cases.push({ name: `${at} with an unknown sub-path`, method, path: `${path}/hostile-unknown`, headers: {}, documented: false });
      if (method !== 'POST') continue;
      const bodies: [string, Record<string, string>, string | Uint8Array][] = [
        ['malformed JSON', { 'content-type': 'application/json' }, '{"query": '],
        ['deeply nested JSON', { 'content-type': 'application/json' }, '['.repeat(5000)],
        ['JSON in an unsupported charset', { 'content-type': 'application/json; charset=utf-7' }, '{}'],
        ['a form in an unsupported charset', { 'content-type': 'application/x-www-form-urlencoded; charset=utf-7' }, 'a=b'],
        ['an unknown content encoding', { 'content-type': 'application/json', 'content-encoding': 'x-hostile' }, '{}'],
        ['a gzip body that is not gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'not gzip at all'],
        ['plain text', { 'content-type': 'text/plain' }, 'hello'],
        [
          'an XML body',
          { 'content-type': 'application/xml' },
          '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        ],
        ['random bytes', { 'content-type': 'application/octet-stream' }, Uint8Array.from({ length: 512 }, (_, i) => (i * 73 + 11) % 256)],
        ['no body at all', {}, ''],
        [`a body over every limit (${oversizeBytes} bytes)`, { 'content-type': 'application/json' }, `"${'x'.repeat(oversizeBytes)}"`],
      ];
      for (const [label, headers, body] of bodies)
        cases.push({ name: `${at} with ${label}`, method, path, headers, body, documented: true });
    }
  }
  return cases;
}
