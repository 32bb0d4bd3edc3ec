'use strict';
// Container health probe: exits 0 when GET <url> answers 2xx within the timeout, 1 otherwise, with the
// reason on stderr (docker inspect shows it). Plain JavaScript so the production image runs it without
// a compiler. Usage: node docker/healthcheck.js https://127.0.0.1:8000/health/ready
//
// Development certificates are self-signed, so the probe does not verify them; that is only harmless
// because it refuses any target but the container's own loopback.
const http = require('node:http');
const https = require('node:https');

const TIMEOUT_MS = 4_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function fail(reason) {
  process.stderr.write(`unhealthy: ${reason}\n`);
  process.exit(1);
}

function target(arg) {
  let url;
  try {
    url = new URL(arg ?? '');
  } catch {
    return fail('usage: node docker/healthcheck.js <http(s)://127.0.0.1:PORT/path>');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(`unsupported scheme ${url.protocol}`);
  if (!LOOPBACK.has(url.hostname)) return fail(`refusing non-loopback target ${url.hostname}`);
  return url;
}

const url = target(process.argv[2]);
const client = url.protocol === 'https:' ? https : http;
const request = client.get(url, { timeout: TIMEOUT_MS, rejectUnauthorized: false }, (response) => {
  response.resume();
  const status = response.statusCode ?? 0;
  if (status >= 200 && status < 300) process.exit(0);
  fail(`HTTP ${status} from ${url.pathname}`);
});
request.on('timeout', () => request.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
request.on('error', (error) => fail(error.message));
