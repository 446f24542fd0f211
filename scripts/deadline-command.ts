import { parseArgs } from 'node:util';
import {
  computeDueAt,
  DEFAULT_WORKING_HOURS,
  parseClockTime,
  parseIsoDate,
  SAME_DAY_DEFAULTS,
  type ResolutionTime,
} from '../domain/deadlines';
import { InvalidInputError } from '../domain/errors';
import { formatVietnamIso } from '../domain/time/vietnam-time';
import { loadWorkingCalendar } from '../platform/working-calendar';

const hours = DEFAULT_WORKING_HOURS.periods.map((p) => `${p.start}–${p.end}`).join(' and ');

export const DEADLINE_HELP = `  deadline --received TIME (--working-days N | --same-day [--cutoff HH:MM]) [--calendar FILE]
                   Print the due time (ISO 8601, +07:00) of a dossier received at TIME (ISO 8601; without an
                   offset it is read as Vietnam time). --working-days N: the same clock time on the N-th working
                   day after the reception day. --same-day: received before the cut-off (default ${SAME_DAY_DEFAULTS.cutoff}) → due
                   ${SAME_DAY_DEFAULTS.dueSameDay} that day, otherwise ${SAME_DAY_DEFAULTS.dueNextDay} the next working day. Working hours ${hours};
                   a reception outside them counts from the next opening. --calendar: an operator calendar file
                   (same shape as reference/calendar/vn-working-calendar.json) instead of the shipped one.`;

const ISO_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;
const USAGE = 'Usage: deadline --received TIME (--working-days N | --same-day [--cutoff HH:MM]) [--calendar FILE].';

function usage(message: string): InvalidInputError {
  return new InvalidInputError(`${message} ${USAGE}`, { reason: 'DEADLINE_COMMAND.USAGE' });
}

/** ISO 8601 date and time; without an offset it is Vietnam's wall-clock time (always +07:00). */
function parseReceived(value: string): Date {
  const match = ISO_TIME.exec(value);
  if (match) {
    const [, date, hour, minute, second = '00', fraction = '', offset = '+07:00'] = match as unknown as string[];
    // Date would roll 2026-02-30 over to March: check the fields first.
    if (parseIsoDate(date) && Number(hour) < 24 && Number(minute) < 60 && Number(second) < 60) {
      const instant = new Date(`${date}T${hour}:${minute}:${second}${fraction}${offset}`);
      if (!Number.isNaN(instant.getTime())) return instant;
    }
  }
  throw usage(`--received "${value.slice(0, 40)}" is not an ISO 8601 time such as 2026-02-20T09:00:00+07:00.`);
}

function parseCommandArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        received: { type: 'string' },
        'working-days': { type: 'string' },
        'same-day': { type: 'boolean' },
        cutoff: { type: 'string' },
        calendar: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw usage(`${(error as Error).message.replace(/\.$/, '')}.`);
  }
}

/** `deadline ...`: prints exactly one line, the due time; bad input throws InvalidInputError. */
export function runDeadlineCommand(argv: string[], print: (line: string) => void): void {
  const values = parseCommandArgs(argv);
  if (values.help) {
    for (const line of DEADLINE_HELP.split('\n')) print(line.replace(/^ {2}/, ''));
    return;
  }
  if (!values.received) throw usage('--received is required.');
  const workingDays = values['working-days'];
  const sameDay = values['same-day'] ?? false;
  if ((workingDays === undefined) === !sameDay) throw usage('Give exactly one of --working-days N and --same-day.');
  if (values.cutoff !== undefined && !sameDay) throw usage('--cutoff applies only with --same-day.');
  if (values.cutoff !== undefined && parseClockTime(values.cutoff) === undefined) {
    throw usage(`--cutoff "${values.cutoff.slice(0, 20)}" is not a time written HH:MM (e.g. 15:00).`);
  }
  if (workingDays !== undefined && !/^[1-9]\d{0,3}$/.test(workingDays)) {
    throw usage(`--working-days "${workingDays.slice(0, 20)}" is not a whole number of working days from 1 to 9999.`);
  }
  const receivedAt = parseReceived(values.received);
  const resolution: ResolutionTime =
    workingDays !== undefined
      ? { kind: 'working-days', days: Number(workingDays) }
      : { kind: 'same-day', ...(values.cutoff !== undefined ? { cutoff: values.cutoff } : {}) };
  const calendar = loadWorkingCalendar(values.calendar);
  print(formatVietnamIso(computeDueAt(receivedAt, resolution, calendar)));
}
