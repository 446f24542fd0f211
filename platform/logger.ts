import pino, { type Logger, type LoggerOptions } from 'pino';

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
}

/** The one way to make a logger: JSON lines on stdout, personal data redacted. */
export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? process.env.LOG_LEVEL ?? 'info',
    base: settings.name ? { component: settings.name } : {},
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return pino(options);
}
