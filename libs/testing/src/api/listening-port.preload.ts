// Preloaded (`node -r`) into api processes that process-harness.ts spawns with API_PORT=0: tells the
// parent over IPC which port the kernel picked, and exits when the parent goes away, so a crashed or
// killed test run never leaves api processes behind.
import { Server } from 'node:net';

let reported = false;
const listen = Server.prototype.listen;
Server.prototype.listen = function patchedListen(this: Server, ...args: unknown[]) {
  this.once('listening', () => {
    const address = this.address();
    if (reported || !address || typeof address === 'string') return;
    reported = true;
    process.send?.({ type: 'listening', port: address.port });
  });
  return (listen as (...a: unknown[]) => Server).apply(this, args);
} as typeof Server.prototype.listen;

process.on('disconnect', () => process.exit(1));
