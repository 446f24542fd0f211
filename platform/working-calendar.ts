import { readFileSync } from 'node:fs';
import { createWorkingCalendar, parseCalendarYears, type WorkingCalendar, type WorkingHours } from '../domain/deadlines';
import { InvalidInputError, isHubError } from '../domain/errors';
import { fromProjectRoot } from './paths';

/** The calendar shipped with the hub (2024–2027). */
export function shippedCalendarPath(): string {
  return fromProjectRoot('reference', 'calendar', 'vn-working-calendar.json');
}

/**
 * Reads and validates a calendar file: the shipped one by default, or an operator's file of the same
 * shape. Any problem (unreadable file, bad JSON, wrong data) is one InvalidInputError naming the file.
 */
export function loadWorkingCalendar(path?: string, hours?: WorkingHours): WorkingCalendar {
  const file = path ?? shippedCalendarPath();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message;
    throw new InvalidInputError(`Cannot read the calendar file ${file}: ${why}.`, { reason: 'CALENDAR.FILE_UNREADABLE', cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`The calendar file ${file} is not valid JSON: ${(error as Error).message}.`, {
      reason: 'CALENDAR.INVALID_DATA',
      cause: error,
    });
  }
  try {
    return createWorkingCalendar(parseCalendarYears(json), hours);
  } catch (error) {
    if (isHubError(error) && error.reason === 'CALENDAR.INVALID_DATA') {
      throw new InvalidInputError(`In ${file}: ${error.message}`, { reason: error.reason, details: error.details, cause: error });
    }
    throw error;
  }
}
