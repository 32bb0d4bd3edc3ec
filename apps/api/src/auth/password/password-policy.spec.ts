import { AppError } from '../../common/errors';
import { COMMON_PASSWORDS } from './common-passwords';
import { assertPasswordPolicy, passwordPolicyViolations } from './password-policy';

const codes = (password: string, email = 'ada@example.com'): string[] =>
  passwordPolicyViolations(password, email).map((v) => v.code);

describe('password policy', () => {
  it('accepts a 12-character password that breaks no rule', () => {
    expect(codes('correct horse')).toEqual([]);
    expect(codes('x'.repeat(11) + 'y')).toEqual([]);
  });

  it('refuses fewer than 12 characters', () => {
    expect(codes('short pass1')).toEqual(['password_too_short']);
  });

  it('counts Unicode code points, not UTF-16 units', () => {
    // 11 emoji are 22 UTF-16 units but 11 characters.
    expect(codes('🔒'.repeat(11))).toEqual(['password_too_short']);
    expect(codes('🔒'.repeat(12))).toEqual([]);
  });

  it('refuses more than 128 characters and accepts exactly 128', () => {
    expect(codes('a1'.repeat(64))).toEqual([]);
    expect(codes('a1'.repeat(64) + 'z')).toEqual(['password_too_long']);
  });

  it('refuses common passwords whatever their case', () => {
    expect(codes('Password1234')).toEqual(['password_too_common']);
    expect(codes('QWERTYUIOP123')).toEqual(['password_too_common']);
  });

  it('lists only policy-length entries, lower-cased', () => {
    for (const entry of COMMON_PASSWORDS) {
      expect(entry).toBe(entry.toLowerCase());
      expect([...entry].length).toBeGreaterThanOrEqual(12);
    }
  });

  it('refuses the account email, in any case', () => {
    expect(codes('Ada.Lovelace@Example.com', 'ada.lovelace@example.com')).toEqual(['password_equals_email']);
  });

  it('reports every broken rule at once', () => {
    expect(codes('a@b.co', 'a@b.co')).toEqual(['password_too_short', 'password_equals_email']);
  });

  it('throws AUTH.PASSWORD_POLICY with field errors naming the rule', () => {
    let thrown: unknown;
    try {
      assertPasswordPolicy('short', 'ada@example.com', 'new_password');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('AUTH.PASSWORD_POLICY');
    expect((thrown as AppError).message).toBe('new_password must be at least 12 characters');
    expect((thrown as AppError).options.errors).toEqual([
      { field: 'new_password', code: 'password_too_short', message: 'must be at least 12 characters' },
    ]);
  });
});
