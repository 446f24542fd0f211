import { spawnSync } from 'node:child_process';

/** Runs the openssl command line (a tool the hub did not write); its exit status and everything it printed. */
export function openssl(...args: string[]): { status: number; output: string } {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
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
