import type { Clock } from '../../domain/clock';

/**
 * The system time moved ahead by what the test advanced: for a hub that other parties (tokens signed
 * by the test, a browser, a simulator) talk to in real time, where a clock that stands still would
 * put them in its future. To wait out a cache age or a lifetime, advance it instead of sleeping.
 */
export class AdvancingClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(milliseconds: number): void {
    this.offsetMs += milliseconds;
  }
}
