import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../platform/paths';
import { TEST_KAFKA_PORT } from './support/environment';

const run = promisify(execFile);

export default async function globalTeardown(): Promise<void> {
  const started = globalThis.__hubTestServices;
  if (!started) return;
  await Promise.all(started.simulators.map((s) => s.stop()));
  await started.embedded?.stop();
  // A broker someone else started (a developer's) stays up; the one the suite started stops.
  if (started.kafkaStartedHere && process.env.KEEP_TEST_KAFKA !== 'true') {
    const env = { ...process.env, KAFKA_PORT: String(TEST_KAFKA_PORT), KAFKA_CONTROLLER_PORT: String(TEST_KAFKA_PORT + 1) };
    await run('bash', [path.join(projectRoot(), 'scripts', 'kafka-broker.sh'), 'stop'], { env }).catch(() => undefined);
  }
}
