import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '../errors';
import { parseCalendarYears, type CalendarYear } from './calendar-years';
import { weekdayOf } from './local-date';

const shippedJson: unknown = JSON.parse(
  readFileSync(path.join(__dirname, '..', '..', 'reference', 'calendar', 'vn-working-calendar.json'), 'utf8'),
);

const validYear = (): CalendarYear => ({
  year: 2030,
  source: 'Thông báo thử nghiệm',
  holidays: [{ date: '2030-01-01', nameVi: 'Tết Dương lịch', nameEn: "New Year's Day" }],
  makeUpWorkingDays: [{ date: '2030-01-05', nameVi: 'Làm bù', nameEn: 'Make-up working day' }],
  unconfirmed: [],
});

function problemsOf(json: unknown): string[] {
  try {
    parseCalendarYears(json);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).reason).toBe('CALENDAR.INVALID_DATA');
    return (error as InvalidInputError).details!.problems as string[];
  }
  throw new Error('expected the data to be refused');
}

describe('shipped calendar data (reference/calendar/vn-working-calendar.json)', () => {
  const years = parseCalendarYears(shippedJson);
  const byYear = new Map(years.map((y) => [y.year, y]));
  const holidayDates = new Set(years.flatMap((y) => y.holidays.map((h) => h.date)));
  const makeUpDates = new Set(years.flatMap((y) => y.makeUpWorkingDays.map((d) => d.date)));

  it('covers 2024 to 2027, each year with its source', () => {
    expect(years.map((y) => y.year)).toEqual([2024, 2025, 2026, 2027]);
    for (const year of years) expect(year.source.length).toBeGreaterThan(20);
  });

  it('marks 2027 as derived, and confirms 2024 and 2025 fully', () => {
    expect(byYear.get(2024)!.unconfirmed).toEqual([]);
    expect(byYear.get(2025)!.unconfirmed).toEqual([]);
    expect(byYear.get(2027)!.unconfirmed.join(' ')).toMatch(/2027-02-04\.\.2027-02-10/);
    expect(byYear.get(2027)!.unconfirmed.join(' ')).toMatch(/2027-09-03/);
  });

  it.each([
    // Spans given as facts by the procedure standards.
    { span: 'Tết 2025', from: '2025-01-25', to: '2025-02-02' },
    { span: '30/4–1/5 2025', from: '2025-04-30', to: '2025-05-04' },
    { span: '2/9 2025', from: '2025-08-30', to: '2025-09-02' },
    { span: 'Tết 2026', from: '2026-02-14', to: '2026-02-22' },
    { span: 'Tết 2024 (Thông báo 5015/TB-LĐTBXH)', from: '2024-02-08', to: '2024-02-14' },
    { span: '30/4–1/5 2024 (Công văn 2450/VPCP-KGVX)', from: '2024-04-27', to: '2024-05-01' },
    { span: '2/9 2024', from: '2024-08-31', to: '2024-09-03' },
    { span: 'Tết Dương lịch 2026 (Công văn 12729/VPCP-KGVX)', from: '2026-01-01', to: '2026-01-04' },
    { span: '2/9 2026 (Thông báo 9441/TB-BNV)', from: '2026-08-29', to: '2026-09-02' },
    { span: 'Tết 2027 (derived)', from: '2027-02-04', to: '2027-02-10' },
  ])('lists every day of $span ($from to $to)', ({ from, to }) => {
    for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
      expect(holidayDates).toContain(d.toISOString().slice(0, 10));
    }
  });

  it.each([
    { date: '2025-01-29', name: /Mùng 1 Tết/ },
    { date: '2026-02-17', name: /Mùng 1 Tết/ },
    { date: '2027-02-06', name: /Mùng 1 Tết/ },
    { date: '2025-04-07', name: /Giỗ Tổ Hùng Vương/ },
    { date: '2026-04-26', name: /Giỗ Tổ Hùng Vương/ },
    { date: '2026-04-27', name: /Nghỉ bù Giỗ Tổ/ },
    { date: '2027-04-16', name: /Giỗ Tổ Hùng Vương/ },
    { date: '2024-04-18', name: /Giỗ Tổ Hùng Vương/ },
  ])('names $date', ({ date, name }) => {
    const entry = years.flatMap((y) => y.holidays).find((h) => h.date === date);
    expect(entry?.nameVi).toMatch(name);
  });

  it('has the official make-up Saturdays and nothing else', () => {
    expect([...makeUpDates].sort()).toEqual(['2024-05-04', '2025-04-26', '2026-01-10', '2026-08-22']);
    for (const date of makeUpDates) expect(weekdayOf(date)).toBe(6);
  });

  it('gives every Labour Code holiday of every year (1/1, Hung Kings, 30/4, 1/5, 2/9)', () => {
    for (const year of [2024, 2025, 2026, 2027]) {
      for (const monthDay of ['01-01', '04-30', '05-01', '09-02']) expect(holidayDates).toContain(`${year}-${monthDay}`);
    }
  });
});

describe('parseCalendarYears', () => {
  it('accepts {years: [...]} and a bare list, sorted by year', () => {
    const a = { ...validYear(), year: 2031, holidays: [], makeUpWorkingDays: [] };
    expect(parseCalendarYears({ description: 'x', years: [a, validYear()] }).map((y) => y.year)).toEqual([2030, 2031]);
    expect(parseCalendarYears([validYear()])).toEqual([validYear()]);
  });

  it('lets makeUpWorkingDays and unconfirmed be left out', () => {
    const { makeUpWorkingDays: _m, unconfirmed: _u, ...bare } = validYear();
    expect(parseCalendarYears([bare])[0]).toMatchObject({ makeUpWorkingDays: [], unconfirmed: [] });
  });

  it.each([
    { problem: 'not an object', json: 'calendar', expected: 'the calendar must be an object with a "years" list' },
    { problem: 'no years', json: { years: [] }, expected: 'years: no years' },
    { problem: 'a year that is not an object', json: [42], expected: '[0]: must be an object' },
    {
      problem: 'a missing year number',
      json: [{ ...validYear(), year: undefined }],
      expected: '[0].year: must be a whole year such as 2026, got missing',
    },
    { problem: 'a fractional year', json: [{ ...validYear(), year: 2030.5 }], expected: '[0].year: must be a whole year' },
    { problem: 'no source', json: [{ ...validYear(), source: ' ' }], expected: '[0].source: must name the decision or notice' },
    { problem: 'holidays not a list', json: [{ ...validYear(), holidays: {} }], expected: '[0].holidays: must be a list' },
    {
      problem: 'an impossible date',
      json: [{ ...validYear(), holidays: [{ date: '2030-02-30', nameVi: 'x', nameEn: 'x' }] }],
      expected: '[0].holidays[0].date: "2030-02-30" is not a calendar date written YYYY-MM-DD',
    },
    {
      problem: 'a date in another year',
      json: [{ ...validYear(), holidays: [{ date: '2031-01-01', nameVi: 'x', nameEn: 'x' }] }],
      expected: '[0].holidays[0].date: 2031-01-01 is not in 2030',
    },
    {
      problem: 'a date written the wrong way',
      json: [{ ...validYear(), holidays: [{ date: '01/01/2030', nameVi: 'x', nameEn: 'x' }] }],
      expected: '[0].holidays[0].date: "01/01/2030" is not a calendar date',
    },
    {
      problem: 'a date listed twice',
      json: [{ ...validYear(), holidays: [validYear().holidays[0], validYear().holidays[0]] }],
      expected: '[0].holidays[1].date: 2030-01-01 is listed twice',
    },
    {
      problem: 'a missing English name',
      json: [{ ...validYear(), holidays: [{ date: '2030-01-01', nameVi: 'Tết' }] }],
      expected: '[0].holidays[0].nameEn: must be a non-empty text, got missing',
    },
    {
      problem: 'a misspelt field',
      json: [{ ...validYear(), makeupWorkingDays: [] }],
      expected: '[0]: unknown field "makeupWorkingDays"',
    },
    {
      problem: 'a make-up day on a weekday',
      json: [{ ...validYear(), makeUpWorkingDays: [{ date: '2030-01-07', nameVi: 'x', nameEn: 'x' }] }],
      expected: '[0].makeUpWorkingDays[0].date: 2030-01-07 is a weekday, already a working day',
    },
    {
      problem: 'a day both off and worked',
      json: [{ ...validYear(), holidays: [{ date: '2030-01-05', nameVi: 'x', nameEn: 'x' }] }],
      expected: '[0].makeUpWorkingDays[0].date: 2030-01-05 is also listed as a holiday',
    },
    {
      problem: 'unconfirmed not texts',
      json: [{ ...validYear(), unconfirmed: [3] }],
      expected: '[0].unconfirmed: must be a list of texts',
    },
    {
      problem: 'a year given twice',
      json: { years: [validYear(), validYear()] },
      expected: 'years[1].year: 2030 is already given at years[0]',
    },
  ])('refuses $problem', ({ json, expected }) => {
    expect(problemsOf(json).join('\n')).toContain(expected);
  });

  it('reports every problem at once, in one officer-readable message', () => {
    const json = {
      years: [
        { ...validYear(), source: '' },
        { ...validYear(), year: 2031, holidays: [{ date: '2031-13-01', nameVi: 'x', nameEn: '' }] },
      ],
    };
    expect(problemsOf(json)).toHaveLength(4);
    expect(() => parseCalendarYears(json)).toThrow(/^The working calendar data has 4 problems: years\[0\]\.source/);
  });

  it('keeps the message short when there are many problems', () => {
    const holidays = Array.from({ length: 15 }, (_, i) => ({ date: `bad-${i}`, nameVi: 'x', nameEn: 'x' }));
    expect(() => parseCalendarYears([{ ...validYear(), holidays }])).toThrow(/; and 5 more\.$/);
  });
});
