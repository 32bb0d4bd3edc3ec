import type { FieldError } from '../../common/errors';
import { AppError } from '../../common/errors';
import { COMMON_PASSWORDS } from './common-passwords';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * SPEC §8: 12–128 characters (Unicode code points, so an emoji counts once), not a common password,
 * not the account's email. Returns every rule the password breaks, each with a stable code.
 */
export function passwordPolicyViolations(password: string, email: string, field = 'password'): FieldError[] {
  const violations: FieldError[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    violations.push({
      field,
      code: 'password_too_short',
      message: `must be at least ${PASSWORD_MIN_LENGTH} characters`,
    });
  }
  if (length > PASSWORD_MAX_LENGTH) {
    violations.push({ field, code: 'password_too_long', message: `must be at most ${PASSWORD_MAX_LENGTH} characters` });
  }
  const lowered = password.trim().toLowerCase();
  if (COMMON_PASSWORDS.has(lowered)) {
    violations.push({ field, code: 'password_too_common', message: 'is too common; choose a less predictable one' });
  }
  if (email !== '' && lowered === email.trim().toLowerCase()) {
    violations.push({ field, code: 'password_equals_email', message: 'must not be your email address' });
  }
  return violations;
}

/** Throws the 400 `AUTH.PASSWORD_POLICY` naming each failed rule in `errors`. */
export function assertPasswordPolicy(password: string, email: string, field = 'password'): void {
  const violations = passwordPolicyViolations(password, email, field);
  if (violations.length > 0) {
    throw new AppError('AUTH.PASSWORD_POLICY', violations.map((v) => `${field} ${v.message}`).join('; '), {
      errors: violations,
    });
  }
}
