/** What `promise` rejects with, for assertions on the error; fails when it resolves instead. */
export function failureOf<E = unknown>(promise: Promise<unknown>): Promise<E> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as E,
  );
}
