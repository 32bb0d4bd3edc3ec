import type { FastifyRequest } from 'fastify';

import { accountTracker } from './rate-limit.trackers';

const req = (body: unknown, user?: { id: string; sessionId: string }) => ({ body, user }) as unknown as FastifyRequest;

describe('accountTracker', () => {
  it('keys by the normalised email in the body', () => {
    expect(accountTracker(req({ email: '  Ada@Example.COM ' }))).toBe('email:ada@example.com');
  });

  it('falls back to the signed-in user, else none', () => {
    expect(accountTracker(req({}, { id: 'u1', sessionId: 's1' }))).toBe('user:u1');
    expect(accountTracker(req({ email: 42 }))).toBeNull();
    expect(accountTracker(req(undefined))).toBeNull();
    expect(accountTracker(req({ email: '   ' }))).toBeNull();
  });
});
