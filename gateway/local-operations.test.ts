import { buildSchema, parse } from 'graphql';
import { isLocalOnly } from './local-operations';

const local = buildSchema(`type Query { dossier(code: String!): Dossier }  type Dossier { code: String! status: String! }`);

describe('operations executed on the dossier schema directly', () => {
  it('an operation on the dossier schema’s own fields only', () => {
    expect(isLocalOnly(local, parse('query($c: String!) { dossier(code: $c) { code status __typename } }'))).toBe(true);
    expect(isLocalOnly(local, parse('{ __typename }'))).toBe(true);
  });

  it('not one that reaches a field the served graph adds (a registry through the dossier), anywhere in the document', () => {
    expect(isLocalOnly(local, parse('{ dossier(code: "X") { code applicant { fullName } } }'))).toBe(false);
    expect(isLocalOnly(local, parse('{ dossier(code: "X") { ...F } } fragment F on Dossier { status landParcel { area } }'))).toBe(false);
    expect(isLocalOnly(local, parse('query A { dossier(code: "X") { code } } query B { citizen(personalId: "1") { fullName } }'))).toBe(
      false,
    );
  });

  it('not introspection, which must describe the whole served graph', () => {
    expect(isLocalOnly(local, parse('{ __schema { types { name } } }'))).toBe(false);
    expect(isLocalOnly(local, parse('{ __type(name: "Citizen") { name } }'))).toBe(false);
  });
});
