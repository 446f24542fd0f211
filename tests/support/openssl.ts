import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Runs the openssl command line (a tool the hub did not write); its exit status and everything it printed. */
export function openssl(...args: string[]): { status: number; output: string } {
  // stdin is closed at once: commands that read it (s_client) end instead of waiting.
  const result = spawnSync('openssl', args, { encoding: 'utf8', input: '', timeout: 30_000 });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

/** `openssl cms -verify` of a detached DER signature over a file, trusting `trustFile` (any key purpose). */
export function cmsVerify(signatureFile: string, contentFile: string, trustFile: string, ...extra: string[]) {
  return openssl(
    'cms',
    '-verify',
    '-binary',
    '-inform',
    'DER',
    '-in',
    signatureFile,
    '-content',
    contentFile,
    '-CAfile',
    trustFile,
    ...extra,
    '-purpose',
    'any',
    '-out',
    '/dev/null',
  );
}

/** An NSS database (what poppler's pdfsig trusts) holding `rootPem` as a trusted CA, in `dir`. */
export function nssDatabaseTrusting(rootPem: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const run = (...args: string[]) => {
    const result = spawnSync('certutil', args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`certutil ${args[0]} failed: ${result.stderr}`);
  };
  run('-N', '-d', `sql:${dir}`, '--empty-password');
  const rootFile = path.join(dir, 'root.pem');
  writeFileSync(rootFile, rootPem);
  run('-A', '-d', `sql:${dir}`, '-n', 'onestop-hub-root', '-t', 'CT,C,C', '-i', rootFile);
  return `sql:${dir}`;
}

/** `pdfsig` on a file, trusting the NSS database given. */
export function pdfsig(file: string, nssdir: string): string {
  const result = spawnSync('pdfsig', ['-nssdir', nssdir, file], { encoding: 'utf8' });
  return `${result.stdout}${result.stderr}`;
}
