import request, { type Test } from 'supertest';

export interface TokenBody {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: UserBody;
}

export interface UserBody {
  id: string;
  email: string;
  name: string;
  email_verified: boolean;
  is_active: boolean;
  created_at: string;
  last_login_at: string | null;
}

type Headers = Record<string, string>;

export const bearer = (accessToken: string): Headers => ({ authorization: `Bearer ${accessToken}` });

/** The auth and password-reset routes of SPEC §8, one method each; each returns the supertest request. */
export class AuthApi {
  constructor(private readonly baseUrl: string) {}

  register(body: object, headers: Headers = {}): Test {
    return this.post('/api/v1/auth/register', body, headers);
  }

  verifyEmail(token: string, headers: Headers = {}): Test {
    return this.post('/api/v1/auth/verify-email', { token }, headers);
  }

  resendVerification(email: string, headers: Headers = {}): Test {
    return this.post('/api/v1/auth/verification-emails', { email }, headers);
  }

  login(email: string, password: string, headers: Headers = {}): Test {
    return this.post('/api/v1/auth/login', { email, password }, headers);
  }

  refresh(refreshToken: string, headers: Headers = {}): Test {
    return this.post('/api/v1/auth/refresh', { refresh_token: refreshToken }, headers);
  }

  logout(accessToken: string, refreshToken: string): Test {
    return this.post('/api/v1/auth/logout', { refresh_token: refreshToken }, bearer(accessToken));
  }

  me(accessToken: string): Test {
    return request(this.baseUrl).get('/api/v1/auth/me').set(bearer(accessToken));
  }

  updateMe(accessToken: string, body: object): Test {
    return request(this.baseUrl).patch('/api/v1/auth/me').set(bearer(accessToken)).send(body);
  }

  changePassword(accessToken: string, currentPassword: string, newPassword: string): Test {
    return this.post(
      '/api/v1/auth/me/password',
      { current_password: currentPassword, new_password: newPassword },
      bearer(accessToken),
    );
  }

  sessions(accessToken: string): Test {
    return request(this.baseUrl).get('/api/v1/auth/sessions').set(bearer(accessToken));
  }

  revokeSession(accessToken: string, sessionId: string): Test {
    return request(this.baseUrl).delete(`/api/v1/auth/sessions/${sessionId}`).set(bearer(accessToken));
  }

  requestPasswordReset(email: string, headers: Headers = {}): Test {
    return this.post('/api/v1/password-resets', { email }, headers);
  }

  verifyPasswordReset(token: string): Test {
    return this.post('/api/v1/password-resets/verify', { token });
  }

  completePasswordReset(token: string, newPassword: string): Test {
    return this.post('/api/v1/password-resets/complete', { token, new_password: newPassword });
  }

  private post(path: string, body: object, headers: Headers = {}): Test {
    return request(this.baseUrl).post(path).set(headers).send(body);
  }
}
