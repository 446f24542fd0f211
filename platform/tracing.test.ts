import { redactUrl, sanitizeSql } from './tracing';

describe('SQL in traces', () => {
  it('keeps the shape of a statement and blanks every value', () => {
    expect(sanitizeSql(`select "d0".* from "s1"."dossier" as "d0" where "d0"."code" = '000.19.31.H46-261203-0005' limit 1`)).toBe(
      `select "d0".* from "s1"."dossier" as "d0" where "d0"."code" = ? limit ?`,
    );
    expect(sanitizeSql(`insert into t (a, b, c) values ('046203001234', 12.5, E'it''s'), ('x', -3, 'y')`)).toBe(
      `insert into t (a, b, c) values (?, ?, ?), (?, ?, ?)`,
    );
    expect(sanitizeSql(`select $1::text, "p1"."x2", t_3c16 from x where y = $$ secret $$`)).toBe(
      `select $1::text, "p1"."x2", t_3c16 from x where y = ?`,
    );
  });

  it('never lets a personal id through, whatever the quoting', () => {
    for (const statement of [`update dossier set applicant_id = '046203001234'`, `select 046203001234`, `select 'a''046203001234'`]) {
      expect(sanitizeSql(statement)).not.toMatch(/046203001234/);
    }
  });

  it('truncates very long statements', () => {
    expect(sanitizeSql(`select ${'x, '.repeat(5000)}y`, 100)).toHaveLength(101);
  });
});

describe('URLs in traces', () => {
  it('blank query values and personal ids in paths', () => {
    expect(redactUrl('http://127.0.0.1:4102/v1/enterprises?representativeId=046203001234&limit=5')).toBe(
      'http://127.0.0.1:4102/v1/enterprises?representativeId=?&limit=?',
    );
    expect(redactUrl('http://portal/v1/citizen-accounts/046203001234')).toBe('http://portal/v1/citizen-accounts/{personalId}');
    expect(redactUrl('/graphql')).toBe('/graphql');
    expect(redactUrl('http://h/v1/enterprises/0100109106')).toBe('http://h/v1/enterprises/0100109106');
  });
});
