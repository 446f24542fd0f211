import { CliUsageError, parseCliOptions } from './main';

describe('land simulator command line', () => {
  it('uses the defaults', () => {
    expect(parseCliOptions([], {})).toEqual({
      host: '127.0.0.1',
      port: 4103,
      seed: 20250701,
      size: 3000,
      populationSize: 10_000,
      businessCount: 2000,
      username: 'hub',
      password: 'land-sim-password',
    });
  });

  it('takes the environment, and options over the environment', () => {
    const env = {
      LAND_SIM_PORT: '5000',
      LAND_SIM_SEED: '7',
      LAND_SIM_SIZE: '10',
      LAND_SIM_POPULATION_SIZE: '100',
      LAND_SIM_BUSINESS_SIZE: '0',
      LAND_SIM_USERNAME: 'desk',
      LAND_SIM_PASSWORD: 'secret',
    };
    expect(parseCliOptions([], env)).toMatchObject({
      port: 5000,
      seed: 7,
      size: 10,
      populationSize: 100,
      businessCount: 0,
      username: 'desk',
      password: 'secret',
    });
    expect(parseCliOptions(['--port', '0', '--population-size', '5000', '--password', 'other', '--host', '0.0.0.0'], env)).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      populationSize: 5000,
      password: 'other',
      username: 'desk',
    });
  });

  it('answers help', () => {
    expect(parseCliOptions(['--help'], {})).toBe('help');
    expect(parseCliOptions(['-h'], {})).toBe('help');
  });

  it.each([
    [['--port', '70000']],
    [['--size', '0']],
    [['--size', '100001']],
    [['--population-size', 'many']],
    [['--seed', '-1']],
    [['--password', '']],
    [['--host', ' ']],
    [['--unknown']],
    [['positional']],
  ])('rejects %j', (argv) => {
    expect(() => parseCliOptions(argv, {})).toThrow(CliUsageError);
  });

  it('rejects a bad environment value, naming the variable', () => {
    expect(() => parseCliOptions([], { LAND_SIM_PORT: 'x' })).toThrow(/LAND_SIM_PORT/);
  });
});
