/**
 * Runs async operations one at a time, in call order. The in-memory stand-ins for Redis (development
 * without Redis, one process) use it so a read-then-write is as indivisible as a Redis command or script.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation);
    // A failed operation must not stall the ones queued after it.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
