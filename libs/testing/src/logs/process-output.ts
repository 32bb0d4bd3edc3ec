import fs from 'node:fs';

/**
 * Everything the process writes to stdout/stderr while a suite runs (start the api at trace level),
 * through either path pino may take (the stream, or the file descriptor), so the suite can prove no
 * secret ever reaches a log line, and what does.
 */
export function captureProcessOutput(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const text = (data: unknown): string => (Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
  const spies: jest.SpyInstance[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    spies.push(
      jest.spyOn(stream, 'write').mockImplementation(((data: unknown, ...rest: unknown[]) => {
        lines.push(text(data));
        const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
        if (callback) process.nextTick(callback);
        return true;
      }) as typeof stream.write),
    );
  }
  const realWrite = fs.write;
  const realWriteSync = fs.writeSync;
  spies.push(
    jest.spyOn(fs, 'write').mockImplementation(((fd: number, data: unknown, ...rest: unknown[]) => {
      if (fd !== 1 && fd !== 2) return (realWrite as (...args: unknown[]) => void)(fd, data, ...rest);
      lines.push(text(data));
      const callback = rest.find((arg) => typeof arg === 'function') as ((e: null, n: number) => void) | undefined;
      if (callback) process.nextTick(callback, null, Buffer.byteLength(text(data)));
    }) as unknown as typeof fs.write),
    jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: unknown, ...rest: unknown[]) => {
      if (fd !== 1 && fd !== 2) return (realWriteSync as (...args: unknown[]) => number)(fd, data, ...rest);
      lines.push(text(data));
      return Buffer.byteLength(text(data));
    }) as unknown as typeof fs.writeSync),
  );
  return { lines, restore: () => spies.forEach((spy) => spy.mockRestore()) };
}
