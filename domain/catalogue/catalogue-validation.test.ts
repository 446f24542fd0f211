import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '../errors';
import {
  AGENCY_ROLE_KEYS,
  checkDocumentTypeReferences,
  checkRoleCoverage,
  parseAgencies,
  parseDocumentTypes,
  parseProcedureDefinitions,
  type CatalogueProblem,
} from './catalogue-validation';
import type { ProcedureDefinition } from './procedure-definition';

const root = path.resolve(__dirname, '../..');
const readJson = (file: string): unknown => JSON.parse(readFileSync(path.join(root, file), 'utf8'));

function procedure(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    code: '1.004873',
    name: 'Thủ tục cấp Giấy xác nhận tình trạng hôn nhân',
    field: 'Hộ tịch',
    level: 'commune',
    resolution: { kind: 'working-days', days: 3 },
    resolutionNote: null,
    fees: [{ name: 'Lệ phí', amountVnd: null, note: 'Do HĐND tỉnh quyết định.' }],
    components: [
      {
        code: 'C01',
        name: 'Tờ khai',
        kind: 'original',
        quantity: 1,
        required: true,
        documentTypeCode: null,
        registrySource: null,
        acceptedDocumentTypes: [],
      },
      {
        code: 'C02',
        name: 'Thẻ căn cước',
        kind: 'present',
        quantity: 1,
        required: true,
        documentTypeCode: null,
        registrySource: 'population',
        acceptedDocumentTypes: ['IDENTITY_CARD', 'PASSPORT'],
      },
    ],
    steps: [
      { code: 'S1', name: 'Tiếp nhận, kiểm tra hồ sơ', agency: { kind: 'receiving-agency' }, workingDays: 0 },
      { code: 'S2', name: 'Thẩm định, xử lý hồ sơ', agency: { kind: 'role', role: 'civil-status' }, workingDays: 2 },
      { code: 'S3', name: 'Phê duyệt, ký kết quả', agency: { kind: 'role', role: 'people-committee' }, workingDays: 1 },
      { code: 'S4', name: 'Trả kết quả', agency: { kind: 'receiving-agency' }, workingDays: 0 },
    ],
    interAgency: false,
    boundaryFree: true,
    results: ['Giấy xác nhận tình trạng hôn nhân'],
    applicantKinds: ['CITIZEN'],
    resultDocumentType: 'MARITAL_STATUS_CERTIFICATE',
    ...overrides,
  };
}

const agency = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  code: '000.19.31.H46',
  name: 'Ủy ban nhân dân Phường Phú Xuân',
  level: 'commune',
  parentCode: null,
  adminUnitCode: '19753',
  roles: ['reception', 'civil-status', 'people-committee'],
  ...overrides,
});

/** The problems an invalid input raises, as `path: message` lines. */
function problemsOf(parse: () => unknown): string[] {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return ((error as InvalidInputError).details?.problems as CatalogueProblem[]).map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the input to be refused');
}

describe('parseProcedureDefinitions', () => {
  it('returns a valid catalogue typed, dropping nothing', () => {
    const input = [procedure()];
    expect(parseProcedureDefinitions(input)).toEqual(input);
  });

  it('names the path and the allowed values of a wrong paper kind', () => {
    const bad = procedure();
    (bad.components as Record<string, unknown>[])[1]!.kind = 'scan';
    expect(problemsOf(() => parseProcedureDefinitions([procedure({ code: '1.000001' }), bad]))).toEqual([
      '[1].components[1].kind: expected original, copy, certified-copy or present, got "scan"',
    ]);
  });

  it('lists every problem at once, not only the first', () => {
    const bad = procedure({
      code: '1.4873',
      level: 'district',
      resolution: { kind: 'working-days', days: 0 },
      applicantKinds: ['CITIZEN', 'CITIZEN'],
      colour: 'red',
    });
    (bad.components as Record<string, unknown>[])[1]!.code = 'C03';
    (bad.components as Record<string, unknown>[])[0]!.registrySource = 'tax';
    const problems = problemsOf(() => parseProcedureDefinitions([bad]));
    expect(problems).toEqual(
      expect.arrayContaining([
        '[0].colour: unknown field (the fields are code, name, field, level, resolution, resolutionNote, fees, components, steps, interAgency, boundaryFree, results, applicantKinds or resultDocumentType)',
        '[0].code: expected a national procedure code such as 1.001193, got "1.4873"',
        '[0].level: expected commune or province, got "district"',
        '[0].resolution.days: expected a whole number from 1 to 365, got 0',
        '[0].components[0].registrySource: expected population, business or land or null, got "tax"',
        '[0].components[1].code: expected C02 (codes run C01, C02, ... in order), got "C03"',
        '[0].applicantKinds: expected each kind once',
      ]),
    );
    expect(problems).toHaveLength(7);
  });

  it('refuses a procedure twice in the catalogue', () => {
    expect(problemsOf(() => parseProcedureDefinitions([procedure(), procedure()]))).toEqual([
      '[1].code: "1.004873" is also the code of [0]; each procedure appears once',
    ]);
  });

  it('requires the steps to add up to the resolution time', () => {
    const bad = procedure({ resolution: { kind: 'working-days', days: 5 } });
    expect(problemsOf(() => parseProcedureDefinitions([bad]))).toEqual([
      '[0].steps: expected working days adding up to the resolution time (5), got 3',
    ]);
  });

  it('requires zero-day steps and sound times for a same-day procedure', () => {
    const bad = procedure({ resolution: { kind: 'same-day', cutoff: '15:00', dueSameDay: '14:30', dueNextDay: '25:00' } });
    expect(problemsOf(() => parseProcedureDefinitions([bad]))).toEqual([
      '[0].resolution.dueNextDay: expected a time HH:MM (24-hour), got "25:00"',
      '[0].resolution.dueSameDay: expected a time not before the cutoff 15:00, got "14:30"',
      '[0].steps: expected 0 working days on every step of a same-day procedure, got 3 in all',
    ]);
  });

  it('routes steps only to known roles, starting and ending at the receiving desk', () => {
    const bad = procedure();
    const steps = bad.steps as Record<string, unknown>[];
    steps[1]!.agency = { kind: 'role', role: 'mayor' };
    steps[3]!.agency = { kind: 'role', role: 'people-committee' };
    steps[3]!.code = 'S5';
    expect(problemsOf(() => parseProcedureDefinitions([bad]))).toEqual([
      `[0].steps[1].agency.role: expected ${AGENCY_ROLE_KEYS.filter((r) => r !== 'reception')
        .join(', ')
        .replace(/, ([^,]*)$/, ' or $1')}, got "mayor"`,
      '[0].steps[3].code: expected S4 (codes run S1, S2, ... in order), got "S5"',
    ]);
    const back = procedure();
    (back.steps as Record<string, unknown>[])[3]!.agency = { kind: 'role', role: 'people-committee' };
    expect(problemsOf(() => parseProcedureDefinitions([back]))).toEqual([
      '[0].steps[3].agency: expected the receiving agency: the result goes back to the desk that received the dossier',
    ]);
  });

  it('keeps interAgency consistent with the bodies the steps go through', () => {
    const crossing = procedure({ name: 'Liên thông đăng ký khai sinh, cấp thẻ bảo hiểm y tế' });
    (crossing.steps as Record<string, unknown>[])[2]!.agency = { kind: 'role', role: 'social-insurance' };
    expect(problemsOf(() => parseProcedureDefinitions([crossing]))).toEqual([
      "[0].interAgency: expected true, since the steps go through commune people's committee or social insurance, got false",
    ]);
    expect(problemsOf(() => parseProcedureDefinitions([procedure({ name: 'Liên thông khai tử', interAgency: true })]))).toEqual([
      '[0].steps: expected steps through at least two bodies for a "Liên thông" (inter-agency) procedure',
      "[0].interAgency: expected false, since the steps stay within commune people's committee, got true",
    ]);
  });

  it('refuses text that would not print on one line of a form', () => {
    const bad = procedure({ name: ' Thủ tục\ncấp giấy ', results: [] });
    expect(problemsOf(() => parseProcedureDefinitions([bad]))).toEqual([
      '[0].name: expected text without leading or trailing spaces',
      '[0].name: expected one line of text, got line breaks',
      '[0].results: expected a non-empty list, got a list',
    ]);
  });

  it('refuses what is not a list of procedures', () => {
    expect(problemsOf(() => parseProcedureDefinitions({ procedures: [] }))).toEqual([
      '(top): expected a list of procedures, got an object',
    ]);
  });
});

describe('parseAgencies', () => {
  it('reads the file form with a note, and a bare list', () => {
    const parent = agency({
      code: '000.00.00.H46',
      name: 'Ủy ban nhân dân Thành phố Huế',
      level: 'province',
      adminUnitCode: '46',
      roles: [],
    });
    const ward = agency({ parentCode: '000.00.00.H46' });
    expect(parseAgencies({ note: 'Mã minh họa.', agencies: [parent, ward] })).toEqual([parent, ward]);
    expect(parseAgencies([ward, parent])).toEqual([ward, parent]);
  });

  it('lists every problem with its path', () => {
    const problems = problemsOf(() =>
      parseAgencies({
        agencies: [
          agency({ code: 'H46/19', roles: ['civil-status', 'mayor'] }),
          agency({ level: 'province', adminUnitCode: '19753', parentCode: '000.99.99.H46' }),
          agency({ code: '000.20.31.H46', adminUnitCode: '46' }),
          agency({ code: '000.20.31.H46' }),
        ],
        extra: true,
      }),
    );
    expect(problems).toEqual([
      '(top).extra: unknown field (the fields are note or agencies)',
      'agencies[0].code: expected an agency e-identifier code such as 000.19.31.H46, got "H46/19"',
      expect.stringMatching(
        /^agencies\[0\]\.roles\[1\]: expected reception, civil-status, .* or business-registration-office, got "mayor"$/,
      ),
      'agencies[1].adminUnitCode: expected a 2-digit province code, got "19753"',
      'agencies[2].adminUnitCode: expected a 5-digit commune code, got "46"',
      'agencies[3].code: "000.20.31.H46" is also the code of agencies[2]; each agency appears once',
      'agencies[1].parentCode: expected the code of an agency in this list, got "000.99.99.H46"',
    ]);
  });

  it('refuses a parent chain that loops', () => {
    const a = agency({ code: '000.01.01.H46', parentCode: '000.02.01.H46' });
    const b = agency({ code: '000.02.01.H46', parentCode: '000.01.01.H46' });
    expect(problemsOf(() => parseAgencies([a, b]))).toEqual([
      '[0].parentCode: expected a parent chain that ends, got a cycle through "000.01.01.H46"',
      '[1].parentCode: expected a parent chain that ends, got a cycle through "000.02.01.H46"',
    ]);
  });
});

describe('checkRoleCoverage', () => {
  it('names each step whose role no agency plays', () => {
    const procedures = parseProcedureDefinitions([procedure()]);
    expect(() => checkRoleCoverage(procedures, parseAgencies([agency()]))).not.toThrow();
    expect(problemsOf(() => checkRoleCoverage(procedures, parseAgencies([agency({ roles: ['civil-status'] })])))).toEqual([
      '[0].steps[2].agency.role: no agency plays "people-committee" (procedure 1.004873)',
    ]);
  });
});

const documentType = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  code: 'MARITAL_STATUS_CERTIFICATE',
  name: 'Giấy xác nhận tình trạng hôn nhân',
  nameEn: 'Marital-status certificate',
  ownerKinds: ['CITIZEN'],
  validity: { kind: 'expires-after-months', months: 6 },
  supersededByNewer: true,
  registrySource: 'population',
  source: 'Nghị định 123/2015/NĐ-CP, Điều 23',
  note: null,
  ...overrides,
});

describe('parseDocumentTypes', () => {
  it('reads the file form with a note, and a bare list, dropping nothing', () => {
    const types = [
      documentType(),
      documentType({ code: 'IDENTITY_CARD', validity: { kind: 'stated-on-document' } }),
      documentType({ code: 'BIRTH_CERTIFICATE', validity: { kind: 'never-expires' }, note: 'No period in the law.' }),
      documentType({ code: 'RESIDENCE_CONFIRMATION', validity: { kind: 'expires-after-days', days: 30 } }),
    ];
    expect(parseDocumentTypes(types)).toEqual(types);
    expect(parseDocumentTypes({ note: 'Types.', documentTypes: types })).toEqual(types);
  });

  it('malformed type data: lists every problem with its path', () => {
    expect(
      problemsOf(() =>
        parseDocumentTypes({
          documentTypes: [
            documentType({ code: 'birth certificate', ownerKinds: [], colour: 'red' }),
            documentType({ validity: { kind: 'expires-after-months', months: 0 } }),
            documentType({ code: 'PASSPORT', validity: { kind: 'expires-after-days' }, registrySource: 'immigration' }),
            documentType({ code: 'VISA', validity: { kind: 'expires-sometime' }, supersededByNewer: 'yes', source: '' }),
            documentType({ code: 'WILL', validity: { kind: 'never-expires', months: 3 }, ownerKinds: ['CITIZEN', 'CITIZEN'] }),
          ],
        }),
      ),
    ).toEqual([
      'documentTypes[0].colour: unknown field (the fields are code, name, nameEn, ownerKinds, validity, supersededByNewer, registrySource, source or note)',
      'documentTypes[0].code: expected a document-type code such as BIRTH_CERTIFICATE, got "birth certificate"',
      'documentTypes[0].ownerKinds: expected a non-empty list, got a list',
      'documentTypes[1].validity.months: expected a whole number from 1 to 600, got 0',
      'documentTypes[2].validity.days: expected a whole number from 1 to 3660, got nothing',
      'documentTypes[2].registrySource: expected population, business or land or null, got "immigration"',
      'documentTypes[3].validity.kind: expected never-expires, expires-after-months, expires-after-days or stated-on-document, got "expires-sometime"',
      'documentTypes[3].supersededByNewer: expected true or false, got "yes"',
      'documentTypes[3].source: expected a non-empty text, got ""',
      'documentTypes[4].ownerKinds: expected each kind once',
      'documentTypes[4].validity.months: unknown field (the fields are kind)',
    ]);
  });

  it('refuses a document type twice, naming the first', () => {
    expect(problemsOf(() => parseDocumentTypes([documentType(), documentType({ name: 'Giấy khác' })]))).toEqual([
      '[1].code: "MARITAL_STATUS_CERTIFICATE" is also the code of [0]; each document type appears once',
    ]);
  });

  it('refuses what is not a list of document types', () => {
    expect(problemsOf(() => parseDocumentTypes({ types: [] }))).toEqual([
      '(top): expected a list of document types or an object with "documentTypes", got an object',
    ]);
  });
});

describe('document types in the procedure catalogue', () => {
  const types = parseDocumentTypes([documentType(), documentType({ code: 'IDENTITY_CARD' }), documentType({ code: 'PASSPORT' })]);

  it('requires every paper to list the types it accepts (empty for forms) and every procedure its result type (or null)', () => {
    const bad = procedure();
    const components = bad.components as Record<string, unknown>[];
    delete components[0]!.acceptedDocumentTypes;
    components[1]!.acceptedDocumentTypes = ['IDENTITY_CARD', 'identity card', 'IDENTITY_CARD'];
    delete bad.resultDocumentType;
    expect(problemsOf(() => parseProcedureDefinitions([bad]))).toEqual([
      '[0].components[0].acceptedDocumentTypes: expected a list, got nothing',
      '[0].components[1].acceptedDocumentTypes[1]: expected a document-type code such as BIRTH_CERTIFICATE, got "identity card"',
      '[0].components[1].acceptedDocumentTypes: expected each document type once',
      '[0].resultDocumentType: expected a document-type code such as BIRTH_CERTIFICATE or null, got nothing',
    ]);
    expect(parseProcedureDefinitions([procedure({ resultDocumentType: null })])[0]!.resultDocumentType).toBeNull();
  });

  it('unknown type = error: names each paper and result whose type is not in the list', () => {
    const known = parseProcedureDefinitions([procedure()]);
    expect(() => checkDocumentTypeReferences(known, types)).not.toThrow();
    const unknown = procedure({ resultDocumentType: 'MARRIAGE_CERTIFICATE' });
    (unknown.components as Record<string, unknown>[])[1]!.acceptedDocumentTypes = ['IDENTITY_CARD', 'DRIVING_LICENCE'];
    const error = (() => {
      try {
        checkDocumentTypeReferences(parseProcedureDefinitions([unknown]), types);
      } catch (e) {
        return e as InvalidInputError;
      }
      throw new Error('expected the catalogue to be refused');
    })();
    expect(error.reason).toBe('CATALOGUE.UNKNOWN_DOCUMENT_TYPE');
    expect((error.details?.problems as CatalogueProblem[]).map((p) => `${p.path}: ${p.message}`)).toEqual([
      '[0].components[1].acceptedDocumentTypes[1]: unknown document type "DRIVING_LICENCE" (not in the document types), procedure 1.004873',
      '[0].resultDocumentType: unknown document type "MARRIAGE_CERTIFICATE" (not in the document types), procedure 1.004873',
    ]);
  });
});

describe('the shipped catalogue (reference/catalogue)', () => {
  const procedures = parseProcedureDefinitions(readJson('reference/catalogue/procedures.json'));
  const agencies = parseAgencies(readJson('reference/catalogue/agencies.json'));
  const source = readJson('reference/procedures.json') as { code: string; name: string; field: string; level: string; fees: unknown[] }[];

  const documentTypes = parseDocumentTypes(readJson('reference/catalogue/document-types.json'));

  it('validates, and every step role is played by an agency of the demo province', () => {
    expect(() => checkRoleCoverage(procedures, agencies)).not.toThrow();
  });

  it('names only known document types, cites a legal source for each, and gives forms none', () => {
    expect(() => checkDocumentTypeReferences(procedures, documentTypes)).not.toThrow();
    for (const type of documentTypes) expect(type.source).toMatch(/(Luật|Nghị định|Thông tư|Bộ luật)\s/);
    const forms = procedures.flatMap((p) => p.components).filter((c) => /^(\(\w+\)\s*)?(Tờ khai|Đơn|Mẫu .*điện tử tương tác)/.test(c.name));
    expect(forms.length).toBeGreaterThan(30);
    expect(forms.filter((c) => c.acceptedDocumentTypes?.length)).toEqual([]);
  });

  it('states the validity periods the law sets: marital status 6 months, residence confirmation 30 days (unconfirmed, said so)', () => {
    const byCode = new Map(documentTypes.map((t) => [t.code, t]));
    expect(byCode.get('MARITAL_STATUS_CERTIFICATE')!.validity).toEqual({ kind: 'expires-after-months', months: 6 });
    expect(byCode.get('RESIDENCE_CONFIRMATION')!.validity).toEqual({ kind: 'expires-after-days', days: 30 });
    expect(byCode.get('RESIDENCE_CONFIRMATION')!.note).toMatch(/^UNCONFIRMED/);
    expect(byCode.get('IDENTITY_CARD')!.validity).toEqual({ kind: 'stated-on-document' });
    expect(byCode.get('BIRTH_CERTIFICATE')!.validity).toEqual({ kind: 'never-expires' });
  });

  it('supersedes by a newer document only types an owner holds one of (not a land-use certificate per parcel)', () => {
    const superseding = documentTypes.filter((t) => t.supersededByNewer).map((t) => t.code);
    expect(superseding).toEqual(
      expect.arrayContaining(['IDENTITY_CARD', 'MARITAL_STATUS_CERTIFICATE', 'ENTERPRISE_REGISTRATION_CERTIFICATE']),
    );
    expect(superseding).not.toEqual(expect.arrayContaining(['LAND_USE_CERTIFICATE']));
    expect(superseding).not.toEqual(expect.arrayContaining(['CONSTRUCTION_PERMIT']));
  });

  it('names the result type of the procedures that issue a reusable document', () => {
    const results = Object.fromEntries(procedures.map((p) => [p.code, p.resultDocumentType]));
    expect(results).toMatchObject({
      '1.001193': 'BIRTH_CERTIFICATE',
      '1.004873': 'MARITAL_STATUS_CERTIFICATE',
      '1.014061': 'IDENTITY_CARD',
      '3.000333': 'JUDICIAL_RECORD_CERTIFICATE',
      '1.013978': 'LAND_USE_CERTIFICATE',
      '2.001610': 'ENTERPRISE_REGISTRATION_CERTIFICATE',
      '1.013225': 'CONSTRUCTION_PERMIT',
      // Residence procedures update the database; certifying a copy produces no type of its own.
      '1.004222': null,
      '2.000815': null,
    });
  });

  it('covers the 41 national procedures in catalogue order, with their names, fields, levels and fees', () => {
    expect(procedures.map((p) => p.code)).toEqual(source.map((p) => p.code));
    for (const [i, p] of procedures.entries()) {
      const s = source[i]!;
      expect({ name: p.name, field: p.field, level: p.level, fees: p.fees }).toEqual({
        name: s.name,
        field: s.field,
        level: s.level,
        fees: s.fees,
      });
    }
  });

  it('has at least 30 procedures usable as they are (papers and steps)', () => {
    expect(procedures.filter((p) => p.components.length > 0 && p.steps.length > 2).length).toBeGreaterThanOrEqual(30);
  });

  it('explains every resolution time the national catalogue does not state in working days', () => {
    const stated = new Map(
      (readJson('reference/procedures.json') as { code: string; resolutionTime: { workingDays: number | null } }[]).map((p) => [
        p.code,
        p.resolutionTime.workingDays,
      ]),
    );
    const unexplained = procedures.filter(
      (p: ProcedureDefinition) => !(p.resolution.kind === 'working-days' && p.resolution.days === stated.get(p.code)) && !p.resolutionNote,
    );
    expect(unexplained.map((p) => p.code)).toEqual([]);
  });

  it('places the agencies in real 2025 administrative units of Huế, under their real names', () => {
    const units = readJson('reference/admin-units.json') as {
      provinces2025: { code: string }[];
      communeSamples: Record<string, { code: string; name: string }[]>;
    };
    const wards = new Map(units.communeSamples['46']!.map((c) => [c.code, c.name]));
    for (const a of agencies) {
      if (a.level === 'province') expect(a.adminUnitCode).toBe('46');
      else expect(a.name.endsWith(wards.get(a.adminUnitCode) ?? '(not a commune of Huế)')).toBe(true);
      expect(a.code.endsWith('.H46')).toBe(true);
    }
  });
});
