/** Deadline engine: working calendar, the hub's deadline convention, and the calendar data format. */
export { parseCalendarYears, type CalendarDay, type CalendarYear } from './calendar-years';
export {
  classifyCompletion,
  computeDueAt,
  DEFAULT_APOLOGY_NOTICE_WORKING_DAYS,
  DEFAULT_HAND_OVER_CUTOFF,
  DEFAULT_SUPPLEMENT_REQUEST_WORKING_DAYS,
  effectiveReceptionAt,
  handOverDeadline,
  latestApologyAt,
  planExtension,
  restartAfterSupplement,
  SAME_DAY_DEFAULTS,
  supplementRequestDeadline,
  type CompletionTiming,
  type ExtensionPlan,
  type ExtensionRequest,
  type ResolutionTime,
  type SameDayResolution,
  type WorkingDaysResolution,
} from './deadline-rules';
export { localDateOf, parseClockTime, parseIsoDate, type ClockTime, type IsoDate } from './local-date';
export {
  createWorkingCalendar,
  DEFAULT_WORKING_HOURS,
  type WorkingCalendar,
  type WorkingHours,
  type WorkingPeriod,
} from './working-calendar';
