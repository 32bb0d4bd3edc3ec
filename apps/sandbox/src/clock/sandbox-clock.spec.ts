import { SandboxClock } from './sandbox-clock';

describe('SandboxClock', () => {
  it('follows real time plus the advanced offset', () => {
    const clock = new SandboxClock();
    const before = Date.now();
    clock.advance(90);
    const now = clock.now();
    expect(now - before).toBeGreaterThanOrEqual(90_000);
    expect(now - Date.now()).toBeLessThanOrEqual(90_000);
    expect(clock.offsetSeconds).toBe(90);
  });

  it('refuses to move backwards and resets to real time', () => {
    const clock = new SandboxClock();
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    clock.advance(3600);
    clock.reset();
    expect(clock.offsetSeconds).toBe(0);
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(50);
  });
});
