import { NO_FAULTS, createFaultInjector, FaultSettings, parseFaults, type FaultKind } from './faults';
import { parseSampleCount } from './admin';
import { CliUsageError, integerOption, parseSimulatorArgs } from './cli';
import type { Response } from 'express';

type FakeResponse = Response & { sent: string[]; headers: Record<string, string> };

function fakeResponse(): FakeResponse {
  const fake = { locals: {}, sent: [] as string[], headers: {} as Record<string, string> };
  const setHeader = (name: string, value: string) => {
    fake.headers[name] = value;
    return fake;
  };
  return Object.assign(fake, { setHeader }) as unknown as FakeResponse;
}

describe('simulator kit faults', () => {
  it('applies a body over a base and explains what it refuses', () => {
    expect(parseFaults({ outage: true }, NO_FAULTS)).toEqual({ ...NO_FAULTS, outage: true });
    expect(parseFaults({ latencyMs: -1 }, NO_FAULTS)).toMatch(/latencyMs/);
    expect(parseFaults({ errorRate: 2 }, NO_FAULTS)).toMatch(/errorRate/);
    expect(parseFaults({ timeout: 'yes' }, NO_FAULTS)).toBe('timeout must be true or false.');
    expect(parseFaults({ slow: true }, NO_FAULTS)).toMatch(/Unknown fault "slow"/);
    expect(parseFaults([], NO_FAULTS)).toBe('The body must be a JSON object.');
    expect(() => new FaultSettings({ errorRate: -1 })).toThrow(RangeError);
  });

  it.each<[Partial<typeof NO_FAULTS>, FaultKind | undefined, string | undefined]>([
    [{}, undefined, undefined],
    [{ outage: true, malformed: true }, 'outage', '30'],
    [{ errorRate: 1 }, 'error', '1'],
    [{ malformed: true }, 'malformed', undefined],
  ])('with %j answers %s', async (faults, kind, retryAfter) => {
    const injected: FaultKind[] = [];
    const res = fakeResponse();
    // Done when the call is answered, one way or the other (not after a guessed delay).
    await new Promise<void>((done) => {
      const answer = (what: string) => {
        res.sent.push(what);
        done();
      };
      const apply = createFaultInjector({
        settings: new FaultSettings(faults),
        random: () => 0.5,
        onInject: (_res, k) => injected.push(k),
        renderer: { outage: () => answer('outage'), error: () => answer('error'), malformed: () => answer('malformed') },
      });
      apply(res, () => answer('normal'));
    });
    expect(res.sent).toEqual([kind ?? 'normal']);
    expect(injected).toEqual(kind ? [kind] : []);
    expect(res.locals.fault).toBe(kind);
    expect(res.headers['Retry-After']).toBe(retryAfter);
  });

  it('holds a call forever under the timeout fault', () => {
    const injected: FaultKind[] = [];
    const proceed = jest.fn();
    const apply = createFaultInjector({
      settings: new FaultSettings({ timeout: true }),
      random: Math.random,
      onInject: (_res, k) => injected.push(k),
      renderer: { outage: jest.fn(), error: jest.fn(), malformed: jest.fn() },
    });
    apply(fakeResponse(), proceed);
    expect(injected).toEqual(['timeout']);
    expect(proceed).not.toHaveBeenCalled();
  });
});

describe('simulator kit admin and command line', () => {
  it('reads the sample count', () => {
    expect(parseSampleCount(undefined, 100)).toBe(10);
    expect(parseSampleCount('5', 100)).toBe(5);
    expect(parseSampleCount('101', 100)).toBe('count must be an integer from 1 to 100.');
  });

  it('takes options over the environment over the defaults', () => {
    const args = parseSimulatorArgs(['--port', '1'], { X_PORT: '2', X_SEED: '3' }, ['port', 'seed', 'size'] as const);
    if (args === 'help') throw new Error('unexpected help');
    expect(args.host).toBe('127.0.0.1');
    expect(args.setting('port', 'X_PORT', 9)).toEqual(['--port', '1']);
    expect(args.setting('seed', 'X_SEED', 9)).toEqual(['X_SEED', '3']);
    expect(args.setting('size', 'X_SIZE', 9)).toEqual(['X_SIZE', '9']);
    expect(parseSimulatorArgs(['-h'], {}, [])).toBe('help');
  });

  it('refuses bad values on one line', () => {
    expect(() => integerOption('X_PORT', 'x', 0, 10)).toThrow('X_PORT must be an integer from 0 to 10, got "x"');
    expect(() => parseSimulatorArgs(['--nope'], {}, [])).toThrow(CliUsageError);
    expect(() => parseSimulatorArgs(['--host', ' '], {}, [])).toThrow('--host must not be empty');
    const args = parseSimulatorArgs(['--key', ' '], {}, ['key'] as const);
    if (args === 'help') throw new Error('unexpected help');
    expect(() => args.text('key', 'X_KEY', 'k')).toThrow('--key must not be empty');
    expect(args.text('key', 'X_KEY', 'k', { allowWhitespace: true })).toBe(' ');
  });
});
