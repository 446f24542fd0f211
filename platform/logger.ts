import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Personal data never reaches the logs in clear: these paths are censored wherever they appear
 * in a logged object (request variables, registry payloads, errors).
 */
export const REDACTED_PATHS: readonly string[] = [
  'personalId',
  '*.personalId',
  'applicantId',
  '*.applicantId',
  'fullName',
  '*.fullName',
  'dateOfBirth',
  '*.dateOfBirth',
  'req.headers.authorization',
  'headers.authorization',
  '*.password',
  '*.secret',
  '*.clientSecret',
];

export interface LoggerSettings {
  /** pino level. @default 'info' */
  level?: string;
  /** Component name added to every line (gateway, population-simulator, outbox-relay, ...). */
  name?: string;
  /** Where lines go. @default stdout */
  destination?: DestinationStream;
}

/** 12-digit personal ids hidden anywhere in a text (upstream error messages quote URLs that contain them). */
const PERSONAL_ID_IN_TEXT = /(?<!\d)\d{12}(?!\d)/g;

export function scrubPersonalIds(text: string): string {
  return text.replace(PERSONAL_ID_IN_TEXT, '[personal-id]');
}

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubPersonalIds(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  if (value instanceof Error)
    return { type: value.name, message: scrubPersonalIds(value.message), stack: value.stack ? scrubPersonalIds(value.stack) : undefined };
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrub(item, depth + 1)]));
}

/** The one way to make a logger: JSON lines on stdout, personal data redacted by path and by pattern. */
export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? process.env.LOG_LEVEL ?? 'info',
    base: settings.name ? { component: settings.name } : {},
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { log: (object) => scrub(object) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? scrubPersonalIds(arg) : arg)) as Parameters<typeof method>);
      },
    },
  };
  return settings.destination ? pino(options, settings.destination) : pino(options);
}
