import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from './paths';

/**
 * The lint rule that keeps one clock (eslint.config.mjs): production code that reads the system time
 * itself is refused; the clock, the simulators left on the system clock, and tests may.
 */
const root = projectRoot();

const READS_THE_TIME = `export const at = new Date();
export const ms = Date.now();
export const text = Date();
export const parsed = new Date('2026-03-01T00:00:00Z');
export const elapsed = performance.now();
`;

function eslintOn(code: string, fileName: string): { line: number; ruleId: string }[] {
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', fileName, '--format', 'json'],
    { cwd: root, input: code, encoding: 'utf8' },
  );
  const [report] = JSON.parse(result.stdout) as { messages: { line: number; ruleId: string }[] }[];
  return report!.messages.map(({ line, ruleId }) => ({ line, ruleId }));
}

describe('one clock', () => {
  const refused = [
    { line: 1, ruleId: 'no-restricted-syntax' },
    { line: 2, ruleId: 'no-restricted-properties' },
    { line: 3, ruleId: 'no-restricted-syntax' },
  ];

  it.each(['gateway/reads-time.ts', 'store/services/reads-time.ts', 'certs/reads-time.ts', 'connectors/portal/simulator/reads-time.ts'])(
    'eslint refuses the system time in %s, and lets a given date and an elapsed duration through',
    (file) => {
      expect(eslintOn(READS_THE_TIME, file)).toEqual(refused);
    },
  );

  it.each(['domain/clock.ts', 'connectors/land/simulator/reads-time.ts', 'tests/reads-time.ts', 'gateway/reads-time.test.ts'])(
    'lets %s read the system time',
    (file) => {
      expect(eslintOn(READS_THE_TIME, file)).toEqual([]);
    },
  );
});
