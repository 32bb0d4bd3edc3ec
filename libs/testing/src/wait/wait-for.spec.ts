import { failureOf } from './failure-of';
import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('polls until the probe answers something other than undefined or false, and returns it', async () => {
    const answers = [undefined, false, 0, 1];
    let calls = 0;
    await expect(waitFor('a number', () => answers[calls++], { intervalMs: 1 })).resolves.toBe(0);
    expect(calls).toBe(3);
  });

  it('fails naming what it waited for once the deadline has passed', async () => {
    const started = Date.now();
    const error = await failureOf<Error>(waitFor('the moon', async () => undefined, { timeoutMs: 50, intervalMs: 5 }));
    expect(error.message).toBe('timed out after 50 ms waiting for the moon');
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  });
});

describe('failureOf', () => {
  it('returns the rejection, and fails when the promise resolves', async () => {
    const refusal = new Error('refused');
    await expect(failureOf(Promise.reject(refusal))).resolves.toBe(refusal);
    await expect(failureOf(Promise.resolve('fine'))).rejects.toThrow('expected a failure');
  });
});
