import { parseArgs } from 'node:util';
import { createLogger, type Logger } from '../../platform/logger';

/** A command line the simulator refuses; reported on one line with exit code 2. */
export class CliUsageError extends Error {}

/** `raw` as a decimal integer from `min` to `max`; the error names where it came from (`name`). */
export function integerOption(name: string, raw: string, min: number, max: number): number {
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliUsageError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export interface SimulatorArgs<O extends string> {
  host: string;
  /** The option's value and its name (`--port`), else the variable's (or the fallback) and the variable name. */
  setting(option: O, variable: string, fallback: string | number): [string, string];
  /**
   * A text setting that must not be empty (by default, nor only white space).
   * @throws CliUsageError
   */
  text(option: O, variable: string, fallback: string, options?: { allowWhitespace?: boolean }): string;
}

/**
 * Reads `--host`, `-h`/`--help` and the given string options; each setting comes from the command
 * line, then the environment, then the default. `help` when asked for.
 */
export function parseSimulatorArgs<O extends string>(
  argv: string[],
  env: NodeJS.ProcessEnv,
  options: readonly O[],
): SimulatorArgs<O> | 'help' {
  let values: Partial<Record<O | 'host', string>> & { help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        host: { type: 'string' },
        ...Object.fromEntries(options.map((option) => [option, { type: 'string' as const }])),
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }) as { values: typeof values });
  } catch (error) {
    // Node's messages run on with advice over several lines; keep the first sentence.
    throw new CliUsageError(String((error as Error).message).split(/\.\s/)[0] as string);
  }
  if (values.help) return 'help';
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '') throw new CliUsageError('--host must not be empty');
  const setting = (option: O, variable: string, fallback: string | number): [string, string] => {
    const given = values[option];
    return given !== undefined ? [`--${option}`, given] : [variable, env[variable] ?? String(fallback)];
  };
  const text = (option: O, variable: string, fallback: string, { allowWhitespace = false } = {}): string => {
    const [name, value] = setting(option, variable, fallback);
    if ((allowWhitespace ? value : value.trim()) === '') throw new CliUsageError(`${name} must not be empty`);
    return value;
  };
  return { host, setting, text };
}

export interface SimulatorCli<O, S extends { close(): Promise<void> }> {
  /** Program and logger name, e.g. `population-simulator`. */
  name: string;
  usage: string;
  parse(argv: string[], env: NodeJS.ProcessEnv): O | 'help';
  start(options: O, logger: Logger): Promise<S>;
  /** The line printed once listening; it ends up in logs, so never a secret. */
  listening(simulator: S, options: O): string;
}

/** Parses the command line, starts the simulator and closes it cleanly on SIGTERM or SIGINT. */
export async function runSimulatorCli<O, S extends { close(): Promise<void> }>(cli: SimulatorCli<O, S>): Promise<void> {
  let options: O | 'help';
  try {
    options = cli.parse(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`${cli.name}: ${error.message} (see --help)\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(cli.usage);
    return;
  }

  const logger = createLogger({ name: cli.name });
  let simulator: S;
  try {
    simulator = await cli.start(options, logger);
  } catch (error) {
    process.stderr.write(`${cli.name}: cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(`${cli.listening(simulator, options)}\n`);

  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'stopping');
    // Give up on a clean close after 5 s rather than hang the caller.
    setTimeout(() => process.exit(1), 5_000).unref();
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
