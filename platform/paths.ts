import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root (the folder with package.json), whether running from sources or from dist/. */
export function projectRoot(from: string = typeof __dirname === 'string' ? __dirname : process.cwd()): string {
  // Mesh's own CLI loads mesh.config.ts as an ES module, where __dirname does not exist; it runs from the root.
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
}

export function fromProjectRoot(...segments: string[]): string {
  return path.join(projectRoot(), ...segments);
}
