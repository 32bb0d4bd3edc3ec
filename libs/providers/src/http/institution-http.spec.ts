import { isLoopbackUrl, parseRetryAfter } from './institution-http';

describe('isLoopbackUrl', () => {
  it.each([
    ['http://127.0.0.1:8183', true],
    ['http://127.1.2.3', true],
    ['http://localhost:3000/x', true],
    ['http://[::1]:8080', true],
    ['https://api.schwabapi.com', false],
    ['http://127.0.0.1.nip.io', false],
    ['http://10.0.0.1', false],
    ['http://128.0.0.1', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(isLoopbackUrl(url)).toBe(expected);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-05T10:00:00Z');

  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 05 Jan 2026 10:00:12 GMT', now)).toBe(12_000);
    expect(parseRetryAfter('Mon, 05 Jan 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});
