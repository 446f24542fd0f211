import type { Logger } from '../platform/logger';

/** What the composition reports: Mesh's warnings and errors, then the supergraph or why it failed. */
export type ComposeMessage =
  | { kind: 'log'; level: 'warn' | 'error' | 'debug'; text: string }
  | { kind: 'done'; supergraphSdl: string }
  | { kind: 'failed'; message: string };

/** Mesh's logger interface, writing through `emit`. */
export function meshLogger(emit: (level: 'warn' | 'error' | 'debug', text: string) => void) {
  const line = (args: unknown[]) => args.map(String).join(' ');
  const log = {
    log: (...args: unknown[]) => emit('debug', line(args)),
    debug: (...args: unknown[]) => emit('debug', line(args)),
    info: (...args: unknown[]) => emit('debug', line(args)),
    warn: (...args: unknown[]) => emit('warn', line(args)),
    error: (...args: unknown[]) => emit('error', line(args)),
    child: () => log,
  };
  return log;
}

/** Composes mesh.config.ts with Mesh's compose library (loaded here, on first use). */
export async function composeSupergraph(emit: (level: 'warn' | 'error' | 'debug', text: string) => void): Promise<string> {
  const [{ getComposedSchemaFromConfig }, { composeConfig }] = await Promise.all([
    import('@graphql-mesh/compose-cli'),
    import('../mesh.config'),
  ]);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return getComposedSchemaFromConfig(composeConfig, meshLogger(emit) as any);
}

/** Writes Mesh's lines to the hub's logger, at debug except warnings and errors. */
export function logMeshLine(logger: Logger, level: 'warn' | 'error' | 'debug', text: string): void {
  logger[level]({ mesh: true }, text);
}
