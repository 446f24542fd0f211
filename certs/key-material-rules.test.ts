import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../platform/paths';

/**
 * The lint rules that keep key material in certs/ (eslint.config.mjs, .dependency-cruiser.cjs)
 * catch a violation: each is run, as `npm run lint` runs it, on a file that breaks it.
 */
const root = projectRoot();

const LEAK = `import { createPrivateKey } from 'node:crypto';
import * as crypto from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
export const parsed = createPrivateKey(readFileSync(process.env.CONNECTOR_TLS_KEY_FILE ?? '', 'utf8'));
export const viaNamespace = crypto.createPrivateKey('pem');
export function write(keyPem: string): void {
  writeFileSync('/tmp/key.pem', keyPem);
}
export const publicHalf = readFileSync('/tmp/public-key.pem', 'utf8');
`;

function eslintOn(code: string, fileName: string): { line: number; ruleId: string }[] {
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', fileName, '--format', 'json'],
    {
      cwd: root,
      input: code,
      encoding: 'utf8',
    },
  );
  const [report] = JSON.parse(result.stdout) as { messages: { line: number; ruleId: string }[] }[];
  return report!.messages.map(({ line, ruleId }) => ({ line, ruleId }));
}

describe('key material only in certs/', () => {
  it('eslint refuses private-key APIs and key files outside certs/, and lets certs/ use them', () => {
    expect(eslintOn(LEAK, 'gateway/leak.ts')).toEqual([
      { line: 1, ruleId: 'no-restricted-imports' },
      { line: 2, ruleId: 'no-restricted-imports' },
      { line: 4, ruleId: 'no-restricted-syntax' },
      { line: 4, ruleId: 'no-restricted-syntax' },
      { line: 5, ruleId: 'no-restricted-syntax' },
      { line: 7, ruleId: 'no-restricted-syntax' },
    ]);
    expect(eslintOn(LEAK, 'certs/leak.ts')).toEqual([]);
  });

  it('dependency-cruiser refuses node-forge outside certs/ and any import of ours into domain/, type-only too', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'hub-depcruise-'));
    try {
      copyFileSync(path.join(root, '.dependency-cruiser.cjs'), path.join(work, '.dependency-cruiser.cjs'));
      writeFileSync(path.join(work, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', esModuleInterop: true } }));
      symlinkSync(path.join(root, 'node_modules'), path.join(work, 'node_modules'));
      const write = (file: string, text: string) => {
        mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
        writeFileSync(path.join(work, file), text);
      };
      write('gateway/leak.ts', "import forge from 'node-forge';\nexport const pem = forge.pki.privateKeyToPem;\n");
      write('certs/pem.ts', "import forge from 'node-forge';\nexport const pem = forge.pki.privateKeyToPem;\n");
      write('store/row.ts', 'export interface Row { id: string }\n');
      write('domain/rule.ts', "import type { Row } from '../store/row';\nexport const id = (row: Row): string => row.id;\n");
      const result = spawnSync(
        process.execPath,
        [
          path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
          '--config',
          '.dependency-cruiser.cjs',
          '--output-type',
          'json',
          'gateway',
          'certs',
          'store',
          'domain',
        ],
        { cwd: work, encoding: 'utf8' },
      );
      const { summary } = JSON.parse(result.stdout) as { summary: { violations: { from: string; to: string; rule: { name: string } }[] } };
      expect(summary.violations.map((v) => [v.rule.name, v.from, v.to.replace(/^.*node_modules\//, 'node_modules/')]).sort()).toEqual([
        ['domain-is-pure', 'domain/rule.ts', 'store/row.ts'],
        ['key-material-in-certs', 'gateway/leak.ts', expect.stringMatching(/^node_modules\/node-forge\//)],
      ]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
