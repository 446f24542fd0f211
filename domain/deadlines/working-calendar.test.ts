import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '../errors';
import { formatVietnamIso } from '../time/vietnam-time';
import { parseCalendarYears } from './calendar-years';
import { createWorkingCalendar, DEFAULT_WORKING_HOURS, type WorkingCalendar } from './working-calendar';

const shipped = parseCalendarYears(
  JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'reference', 'calendar', 'vn-working-calendar.json'), 'utf8')),
);
const calendar = createWorkingCalendar(shipped);

function refusal(action: () => unknown): InvalidInputError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected a refusal');
}

describe('working days', () => {
  it.each([
    // weekends
    { date: '2026-03-06', working: true, why: 'an ordinary Friday' },
    { date: '2026-03-07', working: false, why: 'a Saturday' },
    { date: '2026-03-08', working: false, why: 'a Sunday' },
    { date: '2026-03-09', working: true, why: 'an ordinary Monday' },
    // Tết 2025: Sat 25 Jan – Sun 2 Feb
    { date: '2025-01-24', working: true, why: 'the Friday before Tết 2025' },
    { date: '2025-01-27', working: false, why: 'Tết 2025, Monday' },
    { date: '2025-01-29', working: false, why: 'Tết 2025, day 1' },
    { date: '2025-01-31', working: false, why: 'Tết 2025, Friday' },
    { date: '2025-02-03', working: true, why: 'back after Tết 2025' },
    // Tết 2026: Sat 14 Feb – Sun 22 Feb
    { date: '2026-02-13', working: true, why: 'the Friday before Tết 2026' },
    { date: '2026-02-16', working: false, why: 'Tết 2026, Monday' },
    { date: '2026-02-17', working: false, why: 'Tết 2026, day 1' },
    { date: '2026-02-20', working: false, why: 'Tết 2026, Friday' },
    { date: '2026-02-23', working: true, why: 'back after Tết 2026' },
    // Tết 2027 (derived): Thu 4 Feb – Wed 10 Feb
    { date: '2027-02-03', working: true, why: 'the Wednesday before Tết 2027' },
    { date: '2027-02-04', working: false, why: 'Tết 2027, Thursday' },
    { date: '2027-02-06', working: false, why: 'Tết 2027, day 1 (a Saturday)' },
    { date: '2027-02-09', working: false, why: 'Tết 2027, compensatory Tuesday' },
    { date: '2027-02-10', working: false, why: 'Tết 2027, compensatory Wednesday' },
    { date: '2027-02-11', working: true, why: 'back after Tết 2027' },
    // Hung Kings
    { date: '2025-04-07', working: false, why: 'Hung Kings 2025, Monday' },
    { date: '2026-04-26', working: false, why: 'Hung Kings 2026, a Sunday' },
    { date: '2026-04-27', working: false, why: 'Hung Kings 2026 compensated on Monday' },
    { date: '2026-04-28', working: true, why: 'the Tuesday after Hung Kings 2026' },
    { date: '2027-04-16', working: false, why: 'Hung Kings 2027, Friday' },
    // 30/4 – 1/5 2025 with the make-up Saturday
    { date: '2025-04-26', working: true, why: 'make-up Saturday 26 Apr 2025' },
    { date: '2025-04-30', working: false, why: 'Reunification Day 2025' },
    { date: '2025-05-02', working: false, why: 'swapped Friday 2 May 2025' },
    { date: '2025-05-05', working: true, why: 'back on Monday 5 May 2025' },
    // 2 September pairs
    { date: '2025-09-01', working: false, why: '1 Sep 2025, the adjacent day' },
    { date: '2025-09-02', working: false, why: 'National Day 2025' },
    { date: '2025-09-03', working: true, why: 'the Wednesday after National Day 2025' },
    { date: '2026-08-22', working: true, why: 'make-up Saturday 22 Aug 2026' },
    { date: '2026-08-31', working: false, why: 'swapped Monday 31 Aug 2026' },
    { date: '2026-09-01', working: false, why: '1 Sep 2026, the adjacent day' },
    { date: '2026-09-02', working: false, why: 'National Day 2026' },
    { date: '2026-09-03', working: true, why: 'the Thursday after National Day 2026' },
    // New Year 2026 swap
    { date: '2026-01-02', working: false, why: 'swapped Friday 2 Jan 2026' },
    { date: '2026-01-10', working: true, why: 'make-up Saturday 10 Jan 2026' },
    { date: '2026-01-17', working: false, why: 'an ordinary Saturday' },
    // 1 May 2027 on a Saturday
    { date: '2027-05-03', working: false, why: '1 May 2027 compensated on Monday' },
  ])('$date is a working day: $working ($why)', ({ date, working }) => {
    expect(calendar.isWorkingDay(date)).toBe(working);
  });

  it('names the day off and the make-up day', () => {
    expect(calendar.holidayOn('2026-04-27')).toMatchObject({ nameVi: 'Nghỉ bù Giỗ Tổ Hùng Vương' });
    expect(calendar.holidayOn('2026-03-09')).toBeUndefined();
    expect(calendar.makeUpWorkingDayOn('2025-04-26')).toMatchObject({ nameEn: 'Make-up working day for the swapped Friday 2 May 2025' });
    expect(calendar.makeUpWorkingDayOn('2025-04-19')).toBeUndefined();
  });

  it.each([
    { from: '2026-03-06', next: '2026-03-09', why: 'Friday → Monday' },
    { from: '2026-03-07', next: '2026-03-09', why: 'from a Saturday' },
    { from: '2025-01-24', next: '2025-02-03', why: 'across Tết 2025' },
    { from: '2026-02-13', next: '2026-02-23', why: 'across Tết 2026' },
    { from: '2027-02-03', next: '2027-02-11', why: 'across Tết 2027' },
    { from: '2025-04-25', next: '2025-04-26', why: 'onto the make-up Saturday' },
    { from: '2025-04-29', next: '2025-05-05', why: 'across 30/4 – 4/5 2025' },
    { from: '2026-04-24', next: '2026-04-28', why: 'across Hung Kings 2026 (Sunday + Monday)' },
    { from: '2025-08-29', next: '2025-09-03', why: 'across 2/9 2025' },
    { from: '2026-08-28', next: '2026-09-03', why: 'across 2/9 2026' },
    { from: '2025-12-31', next: '2026-01-05', why: 'across New Year 2026 and its swapped Friday' },
  ])('next working day after $from is $next ($why)', ({ from, next }) => {
    expect(calendar.nextWorkingDay(from)).toBe(next);
  });

  it.each([
    { from: '2026-03-02', days: 0, result: '2026-03-02' },
    { from: '2026-03-02', days: 3, result: '2026-03-05' },
    { from: '2026-03-02', days: 5, result: '2026-03-09' },
    { from: '2026-02-02', days: 15, result: '2026-03-02' },
    { from: '2026-03-09', days: -1, result: '2026-03-06' },
    { from: '2026-02-23', days: -1, result: '2026-02-13' },
    { from: '2025-04-28', days: -1, result: '2025-04-26' },
  ])('$days working days from $from is $result', ({ from, days, result }) => {
    expect(calendar.addWorkingDays(from, days)).toBe(result);
  });

  it('refuses a fractional number of days', () => {
    expect(refusal(() => calendar.addWorkingDays('2026-03-02', 1.5)).reason).toBe('CALENDAR.INVALID_DAYS');
  });

  it.each(['someday', '2026-02-30', '2026-2-3', ''])('refuses the date %p', (date) => {
    expect(refusal(() => calendar.isWorkingDay(date)).reason).toBe('CALENDAR.INVALID_DATE');
  });
});

describe('working hours (default 07:30–11:30 and 13:30–17:00)', () => {
  it.each([
    { at: '2026-03-02T07:29:59+07:00', open: false },
    { at: '2026-03-02T07:30:00+07:00', open: true },
    { at: '2026-03-02T11:29:59+07:00', open: true },
    { at: '2026-03-02T11:30:00+07:00', open: false },
    { at: '2026-03-02T12:00:00+07:00', open: false },
    { at: '2026-03-02T13:30:00+07:00', open: true },
    { at: '2026-03-02T16:59:59+07:00', open: true },
    { at: '2026-03-02T17:00:00+07:00', open: false },
    { at: '2026-03-07T09:00:00+07:00', open: false },
    { at: '2025-04-26T09:00:00+07:00', open: true },
    { at: '2026-02-17T09:00:00+07:00', open: false },
    { at: '2026-03-02T02:00:00Z', open: true },
  ])('$at is within working hours: $open', ({ at, open }) => {
    expect(calendar.isWithinWorkingHours(new Date(at))).toBe(open);
  });

  it.each([
    { at: '2026-03-02T09:15:00+07:00', opening: '2026-03-02T09:15:00+07:00', why: 'open: the instant itself' },
    { at: '2026-03-02T06:00:00+07:00', opening: '2026-03-02T07:30:00+07:00', why: 'before opening on a working day' },
    { at: '2026-03-02T11:30:00+07:00', opening: '2026-03-02T13:30:00+07:00', why: 'the lunch break starts' },
    { at: '2026-03-02T12:10:00+07:00', opening: '2026-03-02T13:30:00+07:00', why: 'in the lunch break' },
    { at: '2026-03-02T17:00:00+07:00', opening: '2026-03-03T07:30:00+07:00', why: 'at closing' },
    { at: '2026-03-06T18:00:00+07:00', opening: '2026-03-09T07:30:00+07:00', why: 'Friday evening' },
    { at: '2026-03-07T10:00:00+07:00', opening: '2026-03-09T07:30:00+07:00', why: 'a Saturday' },
    { at: '2026-02-13T17:30:00+07:00', opening: '2026-02-23T07:30:00+07:00', why: 'the evening before Tết 2026' },
    { at: '2026-04-26T10:00:00+07:00', opening: '2026-04-28T07:30:00+07:00', why: 'Hung Kings 2026 on Sunday' },
    { at: '2025-04-25T17:30:00+07:00', opening: '2025-04-26T07:30:00+07:00', why: 'the eve of the make-up Saturday' },
    { at: '2026-03-01T23:00:00Z', opening: '2026-03-02T07:30:00+07:00', why: 'UTC Sunday night = Monday 06:00 in Vietnam' },
  ])('next opening from $at is $opening ($why)', ({ at, opening }) => {
    expect(formatVietnamIso(calendar.nextOpening(new Date(at)))).toBe(opening);
  });

  it('opens and closes at the ends of the periods', () => {
    expect(formatVietnamIso(calendar.openingOf('2026-03-02'))).toBe('2026-03-02T07:30:00+07:00');
    expect(formatVietnamIso(calendar.closingOf('2026-03-02'))).toBe('2026-03-02T17:00:00+07:00');
    expect(calendar.hours).toBe(DEFAULT_WORKING_HOURS);
  });

  it('takes other hours, e.g. one period without a lunch break', () => {
    const custom = createWorkingCalendar(shipped, { periods: [{ start: '08:00', end: '16:00' }] });
    expect(custom.isWithinWorkingHours(new Date('2026-03-02T12:00:00+07:00'))).toBe(true);
    expect(formatVietnamIso(custom.nextOpening(new Date('2026-03-02T16:00:00+07:00')))).toBe('2026-03-03T08:00:00+07:00');
    expect(formatVietnamIso(custom.closingOf('2026-03-02'))).toBe('2026-03-02T16:00:00+07:00');
  });

  it.each([
    { periods: [], message: /at least one opening period/ },
    { periods: [{ start: '7:30', end: '11:30' }], message: /Working period 1 start must be a time written HH:MM/ },
    { periods: [{ start: '11:30', end: '07:30' }], message: /must end after it starts/ },
    {
      periods: [
        { start: '13:30', end: '17:00' },
        { start: '07:30', end: '11:30' },
      ],
      message: /must start after the previous one ends/,
    },
  ])('refuses working hours $periods', ({ periods, message }) => {
    const error = refusal(() => createWorkingCalendar(shipped, { periods }));
    expect(error.reason).toBe('CALENDAR.INVALID_HOURS');
    expect(error.message).toMatch(message);
  });
});

describe('a year outside the data', () => {
  it.each<{ question: string; ask: (c: WorkingCalendar) => unknown; year: number }>([
    { question: 'isWorkingDay(2023-12-29)', ask: (c) => c.isWorkingDay('2023-12-29'), year: 2023 },
    { question: 'isWorkingDay(2028-01-03)', ask: (c) => c.isWorkingDay('2028-01-03'), year: 2028 },
    { question: 'nextWorkingDay(2027-12-31)', ask: (c) => c.nextWorkingDay('2027-12-31'), year: 2028 },
    { question: 'addWorkingDays(2027-12-29, 5)', ask: (c) => c.addWorkingDays('2027-12-29', 5), year: 2028 },
    { question: 'addWorkingDays(2024-01-02, -2)', ask: (c) => c.addWorkingDays('2024-01-02', -2), year: 2023 },
    { question: 'nextOpening in 2030', ask: (c) => c.nextOpening(new Date('2030-06-03T09:00:00+07:00')), year: 2030 },
    { question: 'isWithinWorkingHours in 2023', ask: (c) => c.isWithinWorkingHours(new Date('2023-06-01T09:00:00+07:00')), year: 2023 },
  ])('$question is refused with CALENDAR.YEAR_MISSING', ({ ask, year }) => {
    const error = refusal(() => ask(calendar));
    expect(error.reason).toBe('CALENDAR.YEAR_MISSING');
    expect(error.message).toContain(`no data for ${year} (it covers 2024, 2025, 2026, 2027)`);
    expect(error.details).toEqual({ year, coveredYears: [2024, 2025, 2026, 2027] });
  });

  it('works on whatever years it is given', () => {
    const only2030 = createWorkingCalendar([
      {
        year: 2030,
        source: 'test',
        holidays: [{ date: '2030-01-01', nameVi: 'Tết Dương lịch', nameEn: "New Year's Day" }],
        makeUpWorkingDays: [],
        unconfirmed: [],
      },
    ]);
    expect(only2030.years).toEqual([2030]);
    expect(only2030.covers(2030)).toBe(true);
    expect(only2030.isWorkingDay('2030-01-01')).toBe(false);
    expect(refusal(() => only2030.isWorkingDay('2026-03-02')).reason).toBe('CALENDAR.YEAR_MISSING');
  });

  it('validates data passed in code like data read from a file', () => {
    expect(refusal(() => createWorkingCalendar([{ year: 2030 } as never])).reason).toBe('CALENDAR.INVALID_DATA');
  });
});
