import { dropSchema } from '../support/database';
import { spawnHub } from '../support/hub-process';
import { freePort } from '../support/ports';
import { testEnv } from '../support/environment';

/** Start-up with a wrong setting: one clear line naming the variable, exit code 1, no stack trace. */
async function startExpectingFailure(env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const hub = spawnHub({
    PORT: String(port),
    START_SIMULATORS: 'false',
    PORTAL_SYNC: 'false',
    DEMO_DATA: 'false',
    POPULATION_REGISTRY_URL: testEnv('populationUrl'),
    LOG_LEVEL: 'silent',
    ...env,
  });
  expect(await hub.exited).toBe(1);
  const output = hub.output();
  expect(output).not.toMatch(/^\s+at /m);
  return output.trim();
}

describe('bad configuration stops start-up with a clear message', () => {
  afterAll(() => dropSchema('bad_config_check'));

  it('names a malformed DATABASE_URL', async () => {
    const output = await startExpectingFailure({ DATABASE_URL: 'mysql://somewhere/hub' });
    expect(output).toMatch(
      /^hub: invalid configuration:\n {2}DATABASE_URL: expected a postgresql:\/\/ URL, got "mysql:\/\/somewhere\/hub"$/,
    );
  });

  it('names every wrong variable at once', async () => {
    const output = await startExpectingFailure({ PORT: '99999', KAFKA_BROKERS: 'not a broker', LOG_LEVEL: 'loud' });
    expect(
      output
        .split('\n')
        .slice(1)
        .map((line) => line.trim().split(':')[0]),
    ).toEqual(['PORT', 'LOG_LEVEL', 'KAFKA_BROKERS']);
  });

  it('names an unreachable broker', async () => {
    const port = await freePort();
    const output = await startExpectingFailure({
      KAFKA_BROKERS: `127.0.0.1:${port}`,
      DATABASE_URL: testEnv('databaseUrl'),
      DATABASE_SCHEMA: 'bad_config_check',
    });
    expect(output).toMatch(new RegExp(`^hub: cannot start: KAFKA_BROKERS: cannot reach 127\\.0\\.0\\.1:${port}: .+$`));
    expect(output.split('\n')).toHaveLength(1);
  });

  it('names an unreachable database server, without its password', async () => {
    const port = await freePort();
    const output = await startExpectingFailure({ DATABASE_URL: `postgresql://hub:s3cret@127.0.0.1:${port}/hub` });
    expect(output).toBe(`hub: cannot start: DATABASE_URL: cannot connect to "postgresql://hub:***@127.0.0.1:${port}/hub": ECONNREFUSED`);
  });
});
