import { randomBytes } from 'node:crypto';

import { PasswordHasherService } from '@dashtam/api-app';
import { UserEntity } from '@dashtam/database';

import { AuthApi, bearer, type TokenBody } from './auth-api';
import type { TestApp } from './test-app';

let sequence = 0;

/** An address no other test uses (tests isolate by ownership, not by truncating). */
export function uniqueEmail(label = 'user'): string {
  sequence += 1;
  return `${label}-${Date.now().toString(36)}-${sequence}-${randomBytes(3).toString('hex')}@example.test`;
}

/** A random password that satisfies the policy; generated per run, never committed. */
export function newPassword(): string {
  return `pw-${randomBytes(15).toString('base64url')}`;
}

export interface TestUser {
  user: UserEntity;
  email: string;
  password: string;
}

export interface SignedInUser extends TestUser {
  accessToken: string;
  refreshToken: string;
  /** `{ authorization: 'Bearer …' }` */
  auth: Record<string, string>;
  login: TokenBody;
}

/** Inserts a user with a real argon2 hash, straight into the database (verified by default). */
export async function createUser(
  t: TestApp,
  options: { email?: string; name?: string; verified?: boolean; active?: boolean } = {},
): Promise<TestUser> {
  const email = options.email ?? uniqueEmail();
  const password = newPassword();
  const passwordHash = await t.app.get(PasswordHasherService).hash(password);
  const user = await t.dataSource.getRepository(UserEntity).save({
    email: email.toLowerCase(),
    name: options.name ?? 'Test User',
    passwordHash,
    emailVerifiedAt: options.verified === false ? null : new Date(),
    isActive: options.active ?? true,
  });
  return { user, email: user.email, password };
}

/** A verified user signed in through the real login endpoint. */
export async function createSignedInUser(
  t: TestApp,
  options: { email?: string; name?: string; userAgent?: string } = {},
): Promise<SignedInUser> {
  const created = await createUser(t, options);
  const res = await new AuthApi(t.url).login(created.email, created.password, {
    'user-agent': options.userAgent ?? 'dashtam-tests',
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  const login = res.body as TokenBody;
  return {
    ...created,
    accessToken: login.access_token,
    refreshToken: login.refresh_token,
    auth: bearer(login.access_token),
    login,
  };
}
