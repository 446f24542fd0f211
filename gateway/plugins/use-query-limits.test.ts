import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { costLimitRule } from './use-query-limits';

const schema = buildSchema(`
  type Query { dossiers(first: Int): DossierConnection procedures(first: Int = 5): [Procedure!]! dossier(code: String!): Dossier }
  type DossierConnection { totalCount: Int! edges: [DossierEdge!]! }
  type DossierEdge { node: Dossier! }
  type Dossier { code: String! landParcel: LandParcel applicant: Citizen }
  type LandParcel { area: Float owners: [Owner!]! }
  type Owner { name: String }
  type Citizen { fullName: String }
  type Procedure { code: String! }
`);

const limits = { maxCost: 5000, assumedListSize: 100, defaultListSize: 20 };

/** The estimated cost as the rule reports it (with maxCost 0 it reports every operation). */
function costOf(query: string): number {
  const errors = validate(schema, parse(query), [...specifiedRules, costLimitRule({ ...limits, maxCost: 0 })]);
  const match = /cost about (\d+)/.exec(errors[0]?.message ?? '');
  return match ? Number(match[1]) : 0;
}

const aliases = (n: number, body: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${body}`).join(' ')} }`;

describe('query cost counts list sizes', () => {
  it.each([
    ['one scalar under an object', '{ dossier(code: "x") { code } }', 2 + 1],
    ['a page of 10 with one field', '{ dossiers(first: 10) { edges { node { code } } } }', 10 * (2 + 2 + 2 + 1)],
    ['first left out: the resolvers’ default page size', '{ dossiers { edges { node { code } } } }', 20 * 7],
    ['first as a variable: the assumed largest page', 'query ($n: Int) { dossiers(first: $n) { edges { node { code } } } }', 100 * 7],
    ['a schema default for first', '{ procedures { code } }', 5 * (2 + 1)],
    [
      'nested lists multiply',
      '{ dossiers(first: 10) { edges { node { landParcel { owners { name } } } } } }',
      10 * (2 + 2 + 2 + 2 + 2 + 1),
    ],
    ['a fragment counts where it is spread', '{ dossiers(first: 10) { edges { node { ...F } } } } fragment F on Dossier { code }', 10 * 7],
    ['introspection fields are free', '{ __typename dossier(code: "x") { __typename code } }', 3],
  ])('%s', (_label, query, expected) => {
    expect(costOf(query)).toBe(expected);
  });

  it('unbounded registry fan-out: 15 aliases × 100 dossiers × landParcel is over GRAPHQL_MAX_COST (5000)', () => {
    const query = aliases(15, 'dossiers(first: 100) { edges { node { landParcel { area } } } }');
    const errors = validate(schema, parse(query), [...specifiedRules, costLimitRule(limits)]);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^Cost limit of 5000 exceeded: the query would cost about 13500 /),
    ]);
  });

  it('lets an ordinary page through', () => {
    const query = '{ dossiers(first: 100) { totalCount edges { node { code applicant { fullName } landParcel { area } } } } }';
    expect(validate(schema, parse(query), [...specifiedRules, costLimitRule(limits)])).toEqual([]);
  });
});
