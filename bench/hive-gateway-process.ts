/**
 * Hive Gateway (`@graphql-hive/gateway`, its own CLI, in a process of its own) serving the registry
 * supergraph that mesh.config.ts composes, pointed at the same registry simulators the hub reads: the
 * off-the-shelf way to serve those sources, which the prefill benchmark compares the hub with.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { SUBGRAPHS } from '../mesh.config';

export interface HiveGatewayProcess {
  /** Its GraphQL endpoint. */
  url: string;
  pid: number;
  close(): Promise<void>;
}

export interface HiveGatewayStart {
  /** The composed supergraph (what `npm run mesh:compose` writes). */
  supergraphFile: string;
  /** Where its configuration file is written. */
  dir: string;
  populationUrl: string;
  businessUrl: string;
  businessApiKey: string;
}

/** A port free now (the CLI prints no port it chose itself). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startHiveGatewayProcess(start: HiveGatewayStart): Promise<HiveGatewayProcess> {
  const port = await freePort();
  const configFile = path.join(start.dir, 'gateway.config.mjs');
  // The endpoints and the business registry's API key at run time, as the hub sets them (connectors/registry-graph.ts).
  writeFileSync(
    configFile,
    `export const gatewayConfig = ${JSON.stringify(
      {
        supergraph: start.supergraphFile,
        transportEntries: {
          [SUBGRAPHS.population]: { location: start.populationUrl },
          [SUBGRAPHS.business]: { location: start.businessUrl, headers: [['X-Api-Key', start.businessApiKey]] },
        },
        graphiql: false,
        logging: 'error',
      },
      null,
      2,
    )};\n`,
  );
  // The package's own CLI (its exports do not name the bin file).
  const bin = path.join(path.dirname(require.resolve('@graphql-hive/gateway')), 'bin.js');
  // One worker: one process, as the hub's gateway is.
  const child = spawn(
    process.execPath,
    [bin, 'supergraph', start.supergraphFile, '--config-path', configFile, '--host', '127.0.0.1', '--port', String(port), '--fork', '1'],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } },
  );
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Hive Gateway exited (${child.exitCode}) before serving`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readiness`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error('Hive Gateway did not become ready within 60 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid!,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
