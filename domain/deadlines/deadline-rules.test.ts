import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError, InvalidTransitionError, type HubError } from '../errors';
import { formatVietnamIso } from '../time/vietnam-time';
import { parseCalendarYears } from './calendar-years';
import {
  classifyCompletion,
  computeDueAt,
  handOverDeadline,
  latestApologyAt,
  planExtension,
  restartAfterSupplement,
  supplementRequestDeadline,
  type ResolutionTime,
} from './deadline-rules';
import { createWorkingCalendar } from './working-calendar';

const calendar = createWorkingCalendar(
  parseCalendarYears(
    JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'reference', 'calendar', 'vn-working-calendar.json'), 'utf8')),
  ),
);

const at = (iso: string): Date => new Date(iso);
const iso = (instant: Date): string => formatVietnamIso(instant);
const days = (n: number): ResolutionTime => ({ kind: 'working-days', days: n });
const sameDay: ResolutionTime = { kind: 'same-day' };
const birthRegistration: ResolutionTime = { kind: 'same-day', cutoff: '15:00' };

function refusal(action: () => unknown): HubError {
  try {
    action();
  } catch (error) {
    return error as HubError;
  }
  throw new Error('expected a refusal');
}

describe('computeDueAt: N working days (same clock time on the N-th working day after the reception day)', () => {
  it.each([
    { received: '2026-03-02T09:15:00+07:00', rule: days(3), due: '2026-03-05T09:15:00+07:00', why: 'Monday + 3' },
    { received: '2026-03-05T10:00:00+07:00', rule: days(2), due: '2026-03-09T10:00:00+07:00', why: 'over a weekend' },
    { received: '2026-03-02T02:15:00Z', rule: days(3), due: '2026-03-05T09:15:00+07:00', why: 'given in UTC' },
    { received: '2026-02-13T09:00:00+07:00', rule: days(1), due: '2026-02-23T09:00:00+07:00', why: 'over Tết 2026' },
    { received: '2026-02-02T08:00:00+07:00', rule: days(15), due: '2026-03-02T08:00:00+07:00', why: '15 days spanning Tết 2026' },
    { received: '2025-01-24T14:00:00+07:00', rule: days(1), due: '2025-02-03T14:00:00+07:00', why: 'over Tết 2025' },
    { received: '2027-02-03T08:00:00+07:00', rule: days(2), due: '2027-02-12T08:00:00+07:00', why: 'over Tết 2027' },
    {
      received: '2026-04-24T09:00:00+07:00',
      rule: days(1),
      due: '2026-04-28T09:00:00+07:00',
      why: 'Hung Kings 2026 on Sunday, compensated Monday',
    },
    {
      received: '2025-04-25T09:00:00+07:00',
      rule: days(1),
      due: '2025-04-26T09:00:00+07:00',
      why: 'the make-up Saturday 26 Apr 2025 counts',
    },
    { received: '2025-04-24T09:00:00+07:00', rule: days(3), due: '2025-04-28T09:00:00+07:00', why: 'Thursday + Fri, make-up Sat, Mon' },
    { received: '2025-04-29T09:00:00+07:00', rule: days(1), due: '2025-05-05T09:00:00+07:00', why: 'over 30/4 – 4/5 2025' },
    { received: '2025-08-29T10:00:00+07:00', rule: days(1), due: '2025-09-03T10:00:00+07:00', why: 'over 2/9 2025 (1–2 Sep)' },
    { received: '2026-08-28T10:00:00+07:00', rule: days(1), due: '2026-09-03T10:00:00+07:00', why: 'over 2/9 2026 (31 Aug – 2 Sep)' },
    {
      received: '2026-08-21T10:00:00+07:00',
      rule: days(1),
      due: '2026-08-22T10:00:00+07:00',
      why: 'the make-up Saturday 22 Aug 2026 counts',
    },
    {
      received: '2025-12-30T10:00:00+07:00',
      rule: days(3),
      due: '2026-01-06T10:00:00+07:00',
      why: 'over New Year 2026 and its swapped Friday',
    },
    {
      received: '2026-03-07T10:00:00+07:00',
      rule: days(1),
      due: '2026-03-10T07:30:00+07:00',
      why: 'received on a Saturday: counts from Monday 07:30',
    },
    {
      received: '2026-04-27T09:00:00+07:00',
      rule: days(2),
      due: '2026-05-04T07:30:00+07:00',
      why: 'received on a holiday: from Tuesday 07:30, over 30/4 – 1/5',
    },
    {
      received: '2026-03-02T18:00:00+07:00',
      rule: days(1),
      due: '2026-03-04T07:30:00+07:00',
      why: 'after closing: from the next day 07:30',
    },
    { received: '2026-03-02T06:45:00+07:00', rule: days(1), due: '2026-03-03T07:30:00+07:00', why: 'before opening: from 07:30 that day' },
    {
      received: '2026-03-02T12:10:00+07:00',
      rule: days(1),
      due: '2026-03-03T13:30:00+07:00',
      why: 'in the lunch break: from 13:30 that day',
    },
    { received: '2026-03-02T16:59:59+07:00', rule: days(1), due: '2026-03-03T16:59:59+07:00', why: 'the last second before closing' },
  ])('received $received, $rule.days working days → due $due ($why)', ({ received, rule, due }) => {
    expect(iso(computeDueAt(at(received), rule, calendar))).toBe(due);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses %p working days', (n) => {
    const error = refusal(() => computeDueAt(at('2026-03-02T09:00:00+07:00'), days(n), calendar));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.reason).toBe('DEADLINE.INVALID_RULE');
  });

  it('refuses an invalid reception time and an unknown rule', () => {
    expect(refusal(() => computeDueAt(new Date('nonsense'), days(1), calendar)).reason).toBe('DEADLINE.INVALID_TIME');
    expect(refusal(() => computeDueAt(at('2026-03-02T09:00:00+07:00'), { kind: 'hours' } as never, calendar)).message).toBe(
      'Unknown resolution time kind "hours".',
    );
  });

  it('refuses a due day beyond the calendar data', () => {
    expect(refusal(() => computeDueAt(at('2027-12-28T09:00:00+07:00'), days(5), calendar)).reason).toBe('CALENDAR.YEAR_MISSING');
  });
});

describe('computeDueAt: same day', () => {
  it.each([
    { received: '2026-03-02T08:00:00+07:00', rule: sameDay, due: '2026-03-02T16:30:00+07:00', why: 'morning → 16:30 today' },
    { received: '2026-03-02T10:59:59+07:00', rule: sameDay, due: '2026-03-02T16:30:00+07:00', why: 'just before 11:00' },
    { received: '2026-03-02T11:00:00+07:00', rule: sameDay, due: '2026-03-03T11:00:00+07:00', why: 'from 11:00 → 11:00 next working day' },
    { received: '2026-03-02T11:15:00+07:00', rule: sameDay, due: '2026-03-03T11:00:00+07:00', why: 'late morning' },
    { received: '2026-03-02T12:30:00+07:00', rule: sameDay, due: '2026-03-03T11:00:00+07:00', why: 'lunch break counts from 13:30' },
    { received: '2026-03-02T16:59:00+07:00', rule: sameDay, due: '2026-03-03T11:00:00+07:00', why: 'afternoon' },
    { received: '2026-03-02T18:30:00+07:00', rule: sameDay, due: '2026-03-03T16:30:00+07:00', why: 'evening counts from 07:30 next day' },
    { received: '2026-03-07T09:00:00+07:00', rule: sameDay, due: '2026-03-09T16:30:00+07:00', why: 'Saturday counts from Monday 07:30' },
    { received: '2026-09-01T09:00:00+07:00', rule: sameDay, due: '2026-09-03T16:30:00+07:00', why: 'holiday counts from Thursday 07:30' },
    { received: '2026-02-13T10:00:00+07:00', rule: sameDay, due: '2026-02-13T16:30:00+07:00', why: 'last morning before Tết' },
    { received: '2026-02-13T14:00:00+07:00', rule: sameDay, due: '2026-02-23T11:00:00+07:00', why: 'last afternoon before Tết' },
    {
      received: '2025-04-25T15:00:00+07:00',
      rule: sameDay,
      due: '2025-04-26T11:00:00+07:00',
      why: 'next working day is a make-up Saturday',
    },
    { received: '2026-03-02T14:59:00+07:00', rule: birthRegistration, due: '2026-03-02T16:30:00+07:00', why: '15:00 cut-off, before' },
    { received: '2026-03-02T15:00:00+07:00', rule: birthRegistration, due: '2026-03-03T11:00:00+07:00', why: '15:00 cut-off, at' },
    {
      received: '2026-04-24T16:00:00+07:00',
      rule: birthRegistration,
      due: '2026-04-28T11:00:00+07:00',
      why: '15:00 cut-off over Hung Kings 2026',
    },
    {
      received: '2026-03-02T15:30:00+07:00',
      rule: { kind: 'same-day', cutoff: '15:00', dueNextDay: '17:00' } as ResolutionTime,
      due: '2026-03-03T17:00:00+07:00',
      why: 'procedure data sets the next-day time',
    },
    {
      received: '2026-03-02T09:00:00+07:00',
      rule: { kind: 'same-day', dueSameDay: '17:00' } as ResolutionTime,
      due: '2026-03-02T17:00:00+07:00',
      why: 'procedure data sets the same-day time',
    },
  ])('received $received ($why) → due $due', ({ received, rule, due }) => {
    expect(iso(computeDueAt(at(received), rule, calendar))).toBe(due);
  });

  it.each([
    { rule: { kind: 'same-day', cutoff: '25:00' }, message: /The same-day cut-off must be a time written HH:MM/ },
    { rule: { kind: 'same-day', dueNextDay: '11h' }, message: /The next-day due time must be a time written HH:MM/ },
    { rule: { kind: 'same-day', cutoff: '17:00', dueSameDay: '16:30' }, message: /must not be earlier than the cut-off/ },
  ])('refuses the rule $rule', ({ rule, message }) => {
    const error = refusal(() => computeDueAt(at('2026-03-02T09:00:00+07:00'), rule as ResolutionTime, calendar));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.reason).toBe('DEADLINE.INVALID_RULE');
    expect(error.message).toMatch(message);
  });
});

describe('handOverDeadline (internal step: same working day, or the next opening if received from 15:00)', () => {
  it.each([
    { received: '2026-03-02T09:00:00+07:00', cutoff: undefined, handOver: '2026-03-02T17:00:00+07:00', why: 'morning → by closing' },
    { received: '2026-03-02T14:59:59+07:00', cutoff: undefined, handOver: '2026-03-02T17:00:00+07:00', why: 'just before 15:00' },
    { received: '2026-03-02T15:00:00+07:00', cutoff: undefined, handOver: '2026-03-03T07:30:00+07:00', why: 'at 15:00 → next opening' },
    { received: '2026-03-02T16:45:00+07:00', cutoff: undefined, handOver: '2026-03-03T07:30:00+07:00', why: 'late afternoon' },
    { received: '2026-02-13T15:30:00+07:00', cutoff: undefined, handOver: '2026-02-23T07:30:00+07:00', why: 'before Tết 2026' },
    {
      received: '2026-03-02T12:00:00+07:00',
      cutoff: undefined,
      handOver: '2026-03-02T17:00:00+07:00',
      why: 'lunch break counts from 13:30',
    },
    {
      received: '2026-03-02T18:00:00+07:00',
      cutoff: undefined,
      handOver: '2026-03-03T17:00:00+07:00',
      why: 'evening counts from 07:30 next day',
    },
    { received: '2026-03-07T09:00:00+07:00', cutoff: undefined, handOver: '2026-03-09T17:00:00+07:00', why: 'Saturday counts from Monday' },
    { received: '2026-03-02T15:30:00+07:00', cutoff: '16:00', handOver: '2026-03-02T17:00:00+07:00', why: 'another cut-off' },
  ])('received $received ($why) → hand over by $handOver', ({ received, cutoff, handOver }) => {
    expect(iso(handOverDeadline(at(received), calendar, cutoff))).toBe(handOver);
  });

  it('refuses a malformed cut-off', () => {
    expect(refusal(() => handOverDeadline(at('2026-03-02T09:00:00+07:00'), calendar, '3pm')).reason).toBe('DEADLINE.INVALID_RULE');
  });
});

describe('supplementRequestDeadline (within 3 working days) and restartAfterSupplement', () => {
  it.each([
    { received: '2026-03-02T10:00:00+07:00', within: undefined, deadline: '2026-03-05T10:00:00+07:00' },
    { received: '2026-02-11T10:00:00+07:00', within: undefined, deadline: '2026-02-23T10:00:00+07:00' },
    { received: '2026-03-06T17:30:00+07:00', within: undefined, deadline: '2026-03-12T07:30:00+07:00' },
    { received: '2026-03-02T10:00:00+07:00', within: 5, deadline: '2026-03-09T10:00:00+07:00' },
  ])('received $received, within $within → supplement request by $deadline', ({ received, within, deadline }) => {
    expect(iso(supplementRequestDeadline(at(received), calendar, within))).toBe(deadline);
  });

  it('refuses 0 days', () => {
    expect(refusal(() => supplementRequestDeadline(at('2026-03-02T10:00:00+07:00'), calendar, 0)).reason).toBe('DEADLINE.INVALID_RULE');
  });

  it.each([
    {
      received: '2026-02-02T08:00:00+07:00',
      supplemented: '2026-02-12T16:00:00+07:00',
      rule: days(15),
      firstDue: '2026-03-02T08:00:00+07:00',
      restartedDue: '2026-03-12T16:00:00+07:00',
    },
    {
      received: '2026-03-02T09:00:00+07:00',
      supplemented: '2026-03-04T10:00:00+07:00',
      rule: sameDay,
      firstDue: '2026-03-02T16:30:00+07:00',
      restartedDue: '2026-03-04T16:30:00+07:00',
    },
    {
      received: '2026-03-02T09:00:00+07:00',
      supplemented: '2026-03-07T09:00:00+07:00',
      rule: days(3),
      firstDue: '2026-03-05T09:00:00+07:00',
      restartedDue: '2026-03-12T07:30:00+07:00',
    },
  ])(
    'the whole time restarts: received $received (due $firstDue), supplemented $supplemented → due $restartedDue',
    ({ received, supplemented, rule, firstDue, restartedDue }) => {
      expect(iso(computeDueAt(at(received), rule, calendar))).toBe(firstDue);
      expect(iso(restartAfterSupplement(at(supplemented), rule, calendar))).toBe(restartedDue);
    },
  );
});

describe('classifyCompletion (due 2026-03-05T09:15+07:00)', () => {
  const dueAt = at('2026-03-05T09:15:00+07:00');
  it.each([
    { completed: '2026-03-02T10:00:00+07:00', timing: 'EARLY', why: 'days before' },
    { completed: '2026-03-04T23:59:59+07:00', timing: 'EARLY', why: 'the last second of the day before' },
    { completed: '2026-03-04T16:59:59Z', timing: 'EARLY', why: 'the same, given in UTC' },
    { completed: '2026-03-04T17:00:00Z', timing: 'ON_TIME', why: 'Vietnam midnight of the due day, given in UTC' },
    { completed: '2026-03-05T00:00:00+07:00', timing: 'ON_TIME', why: 'the start of the due day' },
    { completed: '2026-03-05T09:15:00+07:00', timing: 'ON_TIME', why: 'exactly the due time' },
    { completed: '2026-03-05T09:15:01+07:00', timing: 'LATE', why: 'one second after' },
    { completed: '2026-03-06T08:00:00+07:00', timing: 'LATE', why: 'the next day' },
  ])('completed $completed → $timing ($why)', ({ completed, timing }) => {
    expect(classifyCompletion(at(completed), dueAt)).toBe(timing);
  });

  it('refuses an invalid time', () => {
    expect(refusal(() => classifyCompletion(new Date(Number.NaN), dueAt)).reason).toBe('DEADLINE.INVALID_TIME');
  });
});

describe('planExtension (form 04: once, at least 1 working day ahead, to a later working day)', () => {
  const currentDueAt = at('2026-03-05T09:15:00+07:00');
  const base = { currentDueAt, previouslyExtended: false, requestedNewDueAt: at('2026-03-10T16:00:00+07:00'), calendar };

  it.each([
    { now: '2026-03-02T10:00:00+07:00', why: 'days ahead' },
    { now: '2026-03-04T09:15:00+07:00', why: 'exactly one working day ahead' },
  ])('accepts an apology at $now ($why)', ({ now }) => {
    const plan = planExtension({ ...base, now: at(now) });
    expect(iso(plan.previousDueAt)).toBe('2026-03-05T09:15:00+07:00');
    expect(iso(plan.newDueAt)).toBe('2026-03-10T16:00:00+07:00');
    expect(iso(plan.apologyDeadline)).toBe('2026-03-04T09:15:00+07:00');
  });

  it.each([
    { due: '2026-03-05T09:15:00+07:00', now: '2026-03-04T09:15:01+07:00', latest: '2026-03-04T09:15:00+07:00', why: 'one second too late' },
    { due: '2026-03-05T09:15:00+07:00', now: '2026-03-05T08:00:00+07:00', latest: '2026-03-04T09:15:00+07:00', why: 'on the due day' },
    { due: '2026-03-05T09:15:00+07:00', now: '2026-03-06T08:00:00+07:00', latest: '2026-03-04T09:15:00+07:00', why: 'already overdue' },
    {
      due: '2026-03-09T09:00:00+07:00',
      now: '2026-03-07T10:00:00+07:00',
      latest: '2026-03-06T09:00:00+07:00',
      why: 'a weekend is not a working day ahead',
    },
    {
      due: '2026-02-23T09:00:00+07:00',
      now: '2026-02-16T09:00:00+07:00',
      latest: '2026-02-13T09:00:00+07:00',
      why: 'Tết is not a working day ahead',
    },
  ])('refuses an apology at $now for due $due ($why)', ({ due, now, latest }) => {
    const error = refusal(() =>
      planExtension({ ...base, currentDueAt: at(due), requestedNewDueAt: at('2026-03-12T09:00:00+07:00'), now: at(now) }),
    );
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error.reason).toBe('DEADLINE.TOO_LATE_TO_APOLOGISE');
    expect(error.message).toContain(`that is by ${latest}`);
  });

  it('refuses a second extension, before any other check', () => {
    const error = refusal(() =>
      planExtension({
        ...base,
        previouslyExtended: true,
        requestedNewDueAt: at('2026-03-01T09:00:00+07:00'),
        now: at('2026-03-05T10:00:00+07:00'),
      }),
    );
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error.reason).toBe('DEADLINE.ALREADY_EXTENDED');
    expect(error.message).toBe(
      'The due time of this dossier was already moved once; it may be moved only once, so 2026-03-05T09:15:00+07:00 stands.',
    );
  });

  it.each([
    { requested: '2026-03-05T09:15:00+07:00', why: 'the same time' },
    { requested: '2026-03-04T16:00:00+07:00', why: 'an earlier date' },
  ])('refuses a new due time that is not later: $requested ($why)', ({ requested }) => {
    const error = refusal(() => planExtension({ ...base, requestedNewDueAt: at(requested), now: at('2026-03-02T10:00:00+07:00') }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.reason).toBe('DEADLINE.NEW_DATE_NOT_LATER');
  });

  it('refuses a new due time on a day off', () => {
    const error = refusal(() =>
      planExtension({ ...base, requestedNewDueAt: at('2026-04-27T09:00:00+07:00'), now: at('2026-03-02T10:00:00+07:00') }),
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.reason).toBe('DEADLINE.NEW_DATE_NOT_WORKING_DAY');
  });

  it('takes a longer notice when configured', () => {
    expect(iso(latestApologyAt(currentDueAt, calendar, 2))).toBe('2026-03-03T09:15:00+07:00');
    expect(iso(latestApologyAt(currentDueAt, calendar, 0))).toBe('2026-03-05T09:15:00+07:00');
    const error = refusal(() => planExtension({ ...base, noticeWorkingDays: 2, now: at('2026-03-04T08:00:00+07:00') }));
    expect(error.reason).toBe('DEADLINE.TOO_LATE_TO_APOLOGISE');
    expect(error.message).toContain('at least 2 working days before');
    expect(refusal(() => latestApologyAt(currentDueAt, calendar, -1)).reason).toBe('DEADLINE.INVALID_RULE');
  });
});
