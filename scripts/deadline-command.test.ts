import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvalidInputError } from '../domain/errors';
import { runDeadlineCommand } from './deadline-command';

function run(...argv: string[]): string[] {
  const lines: string[] = [];
  runDeadlineCommand(argv, (line) => lines.push(line));
  return lines;
}

function refusal(...argv: string[]): InvalidInputError {
  const print = jest.fn();
  try {
    runDeadlineCommand(argv, print);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(print).not.toHaveBeenCalled();
    return error as InvalidInputError;
  }
  throw new Error('expected a refusal');
}

describe('deadline command', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'deadline-command-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    { argv: ['--received', '2026-02-13T09:00:00+07:00', '--working-days', '1'], due: '2026-02-23T09:00:00+07:00' },
    { argv: ['--received', '2026-02-13T02:00:00Z', '--working-days', '1'], due: '2026-02-23T09:00:00+07:00' },
    { argv: ['--received', '2026-02-13T09:00', '--working-days', '1'], due: '2026-02-23T09:00:00+07:00' },
    { argv: ['--received', '2026-03-02T09:15:30.250+07:00', '--working-days', '3'], due: '2026-03-05T09:15:30+07:00' },
    { argv: ['--received', '2026-03-02T10:00:00+07:00', '--same-day'], due: '2026-03-02T16:30:00+07:00' },
    { argv: ['--received', '2026-03-02T14:00:00+07:00', '--same-day'], due: '2026-03-03T11:00:00+07:00' },
    { argv: ['--received', '2026-03-02T14:00:00+07:00', '--same-day', '--cutoff', '15:00'], due: '2026-03-02T16:30:00+07:00' },
    { argv: ['--received=2026-04-24T16:00:00+07:00', '--same-day', '--cutoff=15:00'], due: '2026-04-28T11:00:00+07:00' },
  ])('$argv prints $due', ({ argv, due }) => {
    expect(run(...argv)).toEqual([due]);
  });

  it('prints usage for --help', () => {
    const lines = run('--help');
    expect(lines[0]).toBe('deadline --received TIME (--working-days N | --same-day [--cutoff HH:MM]) [--calendar FILE]');
    expect(lines.join('\n')).toContain('07:30–11:30 and 13:30–17:00');
  });

  it.each([
    { argv: [], message: /--received is required/ },
    { argv: ['--received', '2026-03-02T09:00:00+07:00'], message: /exactly one of --working-days N and --same-day/ },
    { argv: ['--received', '2026-03-02T09:00:00+07:00', '--working-days', '2', '--same-day'], message: /exactly one of/ },
    {
      argv: ['--received', '2026-03-02T09:00:00+07:00', '--working-days', '2', '--cutoff', '15:00'],
      message: /--cutoff applies only with --same-day/,
    },
    { argv: ['--received', '2026-03-02T09:00:00+07:00', '--working-days', '0'], message: /"0" is not a whole number of working days/ },
    { argv: ['--received', '2026-03-02T09:00:00+07:00', '--working-days', 'two'], message: /"two" is not a whole number/ },
    { argv: ['--received', '2026-03-02T09:00:00+07:00', '--working-days', '1.5'], message: /"1.5" is not a whole number/ },
    { argv: ['--received', '2026-03-02T09:00:00+07:00', '--same-day', '--cutoff', '3pm'], message: /--cutoff "3pm" is not a time/ },
    { argv: ['--received', 'tomorrow', '--same-day'], message: /--received "tomorrow" is not an ISO 8601 time/ },
    { argv: ['--received', '2026-02-30T09:00', '--same-day'], message: /"2026-02-30T09:00" is not an ISO 8601 time/ },
    { argv: ['--received', '2026-03-02T24:00', '--same-day'], message: /is not an ISO 8601 time/ },
    { argv: ['--received', '2026-03-02', '--same-day'], message: /is not an ISO 8601 time/ },
    { argv: ['--received', '2026-03-02T09:00:00+07:00', '--days', '2'], message: /Unknown option '--days'/ },
    { argv: ['--received', '2026-03-02T09:00:00+07:00', '--same-day', 'extra'], message: /Unexpected argument 'extra'/ },
    { argv: ['--received', '2029-03-02T09:00:00+07:00', '--same-day'], message: /no data for 2029/ },
  ])('refuses $argv', ({ argv, message }) => {
    expect(refusal(...argv).message).toMatch(message);
  });

  it('uses an operator calendar file', () => {
    const file = path.join(dir, 'calendar-2030.json');
    writeFileSync(
      file,
      JSON.stringify({
        years: [
          {
            year: 2030,
            source: 'Thông báo của cơ quan',
            holidays: [{ date: '2030-03-05', nameVi: 'Ngày nghỉ địa phương', nameEn: 'Local day off' }],
            makeUpWorkingDays: [],
            unconfirmed: [],
          },
        ],
      }),
    );
    expect(run('--received', '2030-03-04T09:00:00+07:00', '--working-days', '1', '--calendar', file)).toEqual([
      '2030-03-06T09:00:00+07:00',
    ]);
    expect(refusal('--received', '2026-03-02T09:00:00+07:00', '--same-day', '--calendar', file).reason).toBe('CALENDAR.YEAR_MISSING');
  });

  it.each([
    { content: undefined, message: /Cannot read the calendar file .*missing\.json: it does not exist\./ },
    { content: '{ "years": [', message: /The calendar file .*broken\.json is not valid JSON/ },
    {
      content: JSON.stringify({ years: [{ year: 2030, source: 'x', holidays: [{ date: '2030-02-30', nameVi: 'x', nameEn: 'x' }] }] }),
      message:
        /^In .*wrong\.json: The working calendar data has 1 problem: years\[0\]\.holidays\[0\]\.date: "2030-02-30" is not a calendar date/,
    },
  ])('says what is wrong with an operator calendar file ($message)', ({ content, message }) => {
    const name = content === undefined ? 'missing.json' : content.startsWith('{ "years": [') ? 'broken.json' : 'wrong.json';
    const file = path.join(dir, name);
    if (content !== undefined) writeFileSync(file, content);
    expect(refusal('--received', '2030-03-04T09:00:00+07:00', '--same-day', '--calendar', file).message).toMatch(message);
  });
});
