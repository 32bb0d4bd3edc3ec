// Preloaded into an api process the bench profiles: V8's sampling profiler, started and stopped over IPC,
// so the profile holds the load and nothing of the boot (which `node --cpu-prof` would include).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { getHeapSpaceStatistics } from 'node:v8';

const SAMPLING_INTERVAL_US = 500;

const session = new Session();
session.connect();

const post = (method: string, params?: object): Promise<unknown> =>
  new Promise((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  );

process.on('message', (message: { type?: string; file?: string }) => {
  const reply = (type: string, detail: object = {}): void => void process.send?.({ type, ...detail });
  if (message.type === 'memory') {
    const spaces = Object.fromEntries(
      getHeapSpaceStatistics().map((space) => [space.space_name, Math.round(space.space_size / 2 ** 20)]),
    );
    reply('memory', { usage: { ...process.memoryUsage(), spaces } });
  }
  if (message.type === 'profile-start') {
    void post('Profiler.enable')
      .then(() => post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US }))
      .then(() => post('Profiler.start'))
      .then(() => reply('profile-started'));
  } else if (message.type === 'profile-stop' && message.file) {
    const file = message.file;
    void post('Profiler.stop').then((result) => {
      writeFileSync(file, JSON.stringify((result as { profile: unknown }).profile));
      reply('profile-written');
    });
  }
});
