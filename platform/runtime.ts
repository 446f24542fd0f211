import { readFileSync } from 'node:fs';
import { fromProjectRoot } from './paths';

/**
 * The Node.js release the hub is built and tested for: the one package.json installs (the `node`
 * dependency, first on PATH for `npm start` and `npm test`) and names in `engines`. Running on another
 * major (say the machine's own `/usr/bin/node`) works as far as it goes, but is not what was tested.
 */
export interface RuntimeSupport {
  /** `process.version` of this process, e.g. `v24.21.0`. */
  version: string;
  /** package.json `engines.node`, e.g. `>=24.0.0 <25`. */
  range: string;
  /** The major of this process is the one `engines` names. */
  supported: boolean;
}

export function runtimeSupport(version: string = process.version): RuntimeSupport {
  const range = (JSON.parse(readFileSync(fromProjectRoot('package.json'), 'utf8')) as { engines?: { node?: string } }).engines?.node ?? '';
  const wanted = /(\d+)/.exec(range)?.[1];
  const major = /^v?(\d+)/.exec(version)?.[1];
  return { version, range, supported: wanted !== undefined && wanted === major };
}
