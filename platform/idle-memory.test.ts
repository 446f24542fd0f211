import { fullCollection, startIdleCollection } from './idle-memory';

describe('idle collection', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function fakeProcess() {
    const state = { heap: 100, busy: 0, collected: 0 };
    const probe = {
      heapUsed: () => state.heap,
      utilization: () => state.busy,
      collect: () => {
        state.collected += 1;
        state.heap = 40;
      },
    };
    return { state, probe };
  }

  it('collects once at rest after the heap grew, and not again until it grows', () => {
    const { state, probe } = fakeProcess();
    const idle = startIdleCollection({ intervalMs: 1000, minGrowthBytes: 10, probe });
    jest.advanceTimersByTime(1000);
    expect(state.collected).toBe(1);
    jest.advanceTimersByTime(5000);
    expect(state.collected).toBe(1);
    state.heap = 55;
    jest.advanceTimersByTime(1000);
    expect(idle.collections).toBe(2);
    idle.stop();
  });

  it('leaves a busy process to V8', () => {
    const { state, probe } = fakeProcess();
    state.busy = 0.5;
    const idle = startIdleCollection({ intervalMs: 1000, minGrowthBytes: 10, probe });
    jest.advanceTimersByTime(5000);
    expect(state.collected).toBe(0);
    state.busy = 0.001;
    jest.advanceTimersByTime(1000);
    expect(state.collected).toBe(1);
    idle.stop();
  });

  it('makes a real full collection without --expose-gc', async () => {
    jest.useRealTimers();
    let garbage: object | undefined = { payload: new Array(1000).fill('x') };
    const ref = new WeakRef(garbage);
    garbage = undefined;
    // A WeakRef's target lives at least until the job that made it ends.
    await new Promise((resolve) => setImmediate(resolve));
    fullCollection()();
    expect(ref.deref()).toBeUndefined();
  });
});
