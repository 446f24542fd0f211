import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AgencyDefinition } from '../domain/catalogue/catalogue-validation';
import type { ProcedureDefinition } from '../domain/catalogue/procedure-definition';
import { InvalidInputError } from '../domain/errors';
import { CSV_COLUMNS, proceduresFromCsv, proceduresToCsv, runCatalogueCommand, type CatalogueIo } from './catalogue-command';

const root = path.resolve(__dirname, '..');
const shipped = (file: string) => readFileSync(path.join(root, 'reference/catalogue', file), 'utf8');

function memoryIo(files: Record<string, string>): CatalogueIo & { files: Map<string, string>; lines: string[] } {
  const store = new Map(Object.entries(files));
  const lines: string[] = [];
  return {
    files: store,
    lines,
    print: (line) => lines.push(line),
    readFile: (file) => {
      const text = store.get(file);
      if (text === undefined) throw new Error(`no file ${file}`);
      return text;
    },
    writeFile: (file, text) => store.set(file, text),
  };
}

async function failure(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as Error).message;
  }
  throw new Error('expected the command to fail');
}

describe('catalogue command', () => {
  it('round-trips the shipped catalogue JSON -> CSV -> JSON byte for byte', async () => {
    const io = memoryIo({ 'procedures.json': shipped('procedures.json') });
    await runCatalogueCommand(['to-csv', 'procedures.json', 'procedures.csv'], io);
    await runCatalogueCommand(['from-csv', 'procedures.csv', 'back.json'], io);
    expect(io.files.get('back.json')).toBe(shipped('procedures.json'));
    expect(io.lines[0]).toMatch(/^procedures\.csv: 41 procedures, \d+ rows$/);
  });

  it('writes one row per paper, the procedure columns repeated, and one row for a procedure without papers', () => {
    const procedures = proceduresFromCsv(proceduresToCsv(JSON.parse(shipped('procedures.json'))));
    const csv = proceduresToCsv(procedures);
    expect(csv.startsWith(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    const rows = csv
      .trimEnd()
      .split('\r\n')
      .filter((line) => /^\d\.\d{6},/.test(line));
    expect(rows.length).toBe(procedures.reduce((n, p) => n + Math.max(1, p.components.length), 0));
    expect(rows.filter((line) => line.startsWith('1.001193,'))).toHaveLength(8);
    expect(rows.filter((line) => line.startsWith('3.000722,'))).toHaveLength(1);
  });

  it('reads what a spreadsheet in Vietnamese locale saves: ";" separators, TRUE/FALSE, no BOM, blank rows', () => {
    const csv = [
      CSV_COLUMNS.join(';'),
      [
        '1.004194',
        'Đăng ký tạm trú',
        'Đăng ký, quản lý cư trú',
        'commune',
        'working-days',
        '3',
        '',
        '',
        '',
        '',
        'FALSE',
        'TRUE',
        'CITIZEN',
        '',
        '"Cập nhật thông tin trong Cơ sở dữ liệu về cư trú\nThông báo kết quả"',
        '"Lệ phí đăng ký tạm trú | 7000 | 7.000 đồng/lần; trực tuyến"',
        '"S1 | Tiếp nhận, kiểm tra hồ sơ | receiving-agency | 0\nS2 | Thẩm định | police-residence | 3\nS3 | Trả kết quả | receiving-agency | 0"',
        'C01',
        'Tờ khai thay đổi thông tin cư trú (Mẫu CT01)',
        'original',
        '1',
        'TRUE',
        '',
        '',
        'LAND_USE_CERTIFICATE, CERTIFIED_CONTRACT',
      ].join(';'),
      ';;;;;;;;;;;;;;;;;;;;;;;;',
      '',
    ].join('\n');
    const [procedure] = proceduresFromCsv(csv);
    expect(procedure).toMatchObject({
      resolution: { kind: 'working-days', days: 3 },
      interAgency: false,
      boundaryFree: true,
      fees: [{ name: 'Lệ phí đăng ký tạm trú', amountVnd: 7000, note: '7.000 đồng/lần; trực tuyến' }],
      results: ['Cập nhật thông tin trong Cơ sở dữ liệu về cư trú', 'Thông báo kết quả'],
      components: [
        {
          code: 'C01',
          kind: 'original',
          quantity: 1,
          required: true,
          documentTypeCode: null,
          registrySource: null,
          acceptedDocumentTypes: ['LAND_USE_CERTIFICATE', 'CERTIFIED_CONTRACT'],
        },
      ],
      resultDocumentType: null,
    });
    expect(procedure!.steps[1]).toEqual({
      code: 'S2',
      name: 'Thẩm định',
      agency: { kind: 'role', role: 'police-residence' },
      workingDays: 3,
    });
  });

  it('reports problems by spreadsheet row, all at once', async () => {
    const lines = proceduresToCsv(JSON.parse(shipped('procedures.json'))).split('\r\n');
    const birthRow = lines.findIndex((line) => line.startsWith('1.001193,'));
    lines[birthRow + 3] = lines[birthRow + 3]!.replace(/,C04,(.*),original,1,/, ',C04,$1,scan,1,');
    lines[birthRow + 5] = lines[birthRow + 5]!.replace(',commune,', ',province,');
    const io = memoryIo({ 'edited.csv': lines.join('\r\n') });
    expect(await failure(runCatalogueCommand(['from-csv', 'edited.csv', 'out.json'], io))).toBe(
      [
        'The CSV has 2 problems:',
        `  row ${birthRow + 6}, column level: differs from row ${birthRow + 1}, the first row of 1.001193; procedure columns must be the same on every row of a procedure`,
        `  row ${birthRow + 4} (1.001193), kind: expected original, copy, certified-copy or present, got "scan"`,
      ].join('\n'),
    );
    expect(io.files.has('out.json')).toBe(false);
  });

  it('validates the shipped files together, including that every step role has an agency and every document type exists', async () => {
    const io = memoryIo({
      'procedures.json': shipped('procedures.json'),
      'agencies.json': shipped('agencies.json'),
      'document-types.json': shipped('document-types.json'),
    });
    const result = await runCatalogueCommand(['validate', 'procedures.json', 'agencies.json', 'document-types.json'], io);
    expect(result.procedures).toHaveLength(41);
    expect(io.lines).toEqual([
      expect.stringMatching(
        /^procedures\.json: 41 procedures valid: \d+ with papers, 203 papers \(45 readable from a registry, \d+ satisfiable by a held document\), \d+ inter-agency, \d+ boundary-free, \d+ issuing a reusable document$/,
      ),
      `agencies.json: ${result.agencies.length} agencies valid`,
      `document-types.json: ${result.documentTypes.length} document types valid`,
      'every step role is played by an agency',
      'every document type a paper accepts or a procedure issues is known',
    ]);
  });

  it('validates the shipped catalogue when given no file', async () => {
    const io = {
      ...memoryIo({ 'p.json': shipped('procedures.json'), 'd.json': shipped('document-types.json') }),
      shippedFiles: ['p.json', 'd.json'],
    };
    const result = await runCatalogueCommand(['validate'], io);
    expect(result.procedures).toHaveLength(41);
    expect(result.documentTypes.length).toBeGreaterThan(20);
  });

  it('reports a paper naming an unknown document type as an error, with the file contents unchanged', async () => {
    const procedures = JSON.parse(shipped('procedures.json')) as ProcedureDefinition[];
    const edited = procedures.map((p) =>
      p.code === '1.001193'
        ? { ...p, components: p.components.map((c) => (c.code === 'C01' ? { ...c, acceptedDocumentTypes: ['BIRTH_NOTE'] } : c)) }
        : p,
    );
    const io = memoryIo({ 'procedures.json': JSON.stringify(edited), 'document-types.json': shipped('document-types.json') });
    expect(await failure(runCatalogueCommand(['validate', 'procedures.json', 'document-types.json'], io))).toBe(
      [
        'The catalogue and the document types has 1 problem:',
        '  [0].components[0].acceptedDocumentTypes[0]: unknown document type "BIRTH_NOTE" (not in the document types), procedure 1.001193',
      ].join('\n'),
    );
  });

  it('keeps the five original demo agencies, codes and names unchanged', () => {
    const { agencies } = JSON.parse(shipped('agencies.json')) as { agencies: AgencyDefinition[] };
    const original = [
      ['000.00.00.H46', 'Ủy ban nhân dân Thành phố Huế', null, '46'],
      ['000.00.12.H46', 'Sở Tài chính Thành phố Huế', '000.00.00.H46', '46'],
      ['000.00.15.H46', 'Sở Nông nghiệp và Môi trường Thành phố Huế', '000.00.00.H46', '46'],
      ['000.19.31.H46', 'Ủy ban nhân dân Phường Phú Xuân', '000.00.00.H46', '19753'],
      ['000.20.31.H46', 'Ủy ban nhân dân Phường Kim Long', '000.00.00.H46', '19774'],
    ];
    expect(agencies.slice(0, 5).map((a) => [a.code, a.name, a.parentCode, a.adminUnitCode])).toEqual(original);
  });

  it('names each failing file, and refuses what it cannot do', async () => {
    const io = memoryIo({
      'bad.json': '[{"code": "1.001193"}]',
      'broken.json': '{',
      'agencies.json': shipped('agencies.json'),
    });
    const message = await failure(runCatalogueCommand(['validate', 'bad.json', 'broken.json'], io));
    expect(message).toMatch(
      /^bad\.json: The procedure catalogue has \d+ problems:\n {2}\[0\]\.name: expected a non-empty text, got nothing\n/,
    );
    expect(message).toMatch(/\nbroken\.json: broken\.json is not valid JSON: /);
    expect(await failure(runCatalogueCommand(['validate', 'missing.csv'], io))).toBe(
      'missing.csv: Cannot read missing.csv: no file missing.csv',
    );
    expect(await failure(runCatalogueCommand(['to-csv', 'agencies.json', 'out.csv'], io))).toMatch(/is an agency list/);
    expect(await failure(runCatalogueCommand(['publish'], io))).toMatch(/^catalogue: unknown action "publish"\.\nUsage:/);
    expect(await failure(runCatalogueCommand(['from-csv', 'only-one.csv'], io))).toMatch(/give FILE\.csv and OUT\.json/);
  });
});
