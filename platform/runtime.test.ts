import { runtimeSupport } from './runtime';

describe('runtimeSupport', () => {
  it('accepts the major package.json engines names and no other', () => {
    const { range } = runtimeSupport();
    const major = /(\d+)/.exec(range)![1];
    expect(runtimeSupport(`v${major}.3.1`).supported).toBe(true);
    expect(runtimeSupport('v20.20.2').supported).toBe(false);
    expect(runtimeSupport(`v${Number(major) + 1}.0.0`).supported).toBe(false);
  });

  it('reports the running process by default', () => {
    expect(runtimeSupport().version).toBe(process.version);
  });
});

describe('the test run', () => {
  it('runs on the Node.js release package.json installs (npm test puts node_modules/.bin/node first)', () => {
    expect(runtimeSupport()).toMatchObject({ supported: true });
  });
});
