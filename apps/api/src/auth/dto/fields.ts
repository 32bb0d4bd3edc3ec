import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsString, MaxLength } from 'class-validator';

import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../password/password-policy';

// Generous caps that only stop absurd inputs; the password policy states the real rules.
const PASSWORD_INPUT_MAX = 1024;
const TOKEN_INPUT_MAX = 256;

/** An email address, trimmed and lower-cased before validation (emails are case-insensitive here). */
export const EmailField = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ format: 'email', maxLength: 320, example: 'ada@example.com' }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value)),
    IsString(),
    MaxLength(320),
    IsEmail({}, { message: '$property must be an email address' }),
  );

/** A password to set: the policy (12–128 characters, not common, not the email) is checked by the service. */
export const NewPasswordField = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, format: 'password' }),
    IsString(),
    IsNotEmpty(),
    MaxLength(PASSWORD_INPUT_MAX),
  );

/** A password to check against the stored hash. */
export const PasswordField = (): PropertyDecorator =>
  applyDecorators(ApiProperty({ format: 'password' }), IsString(), IsNotEmpty(), MaxLength(PASSWORD_INPUT_MAX));

/** An opaque token from an email or an earlier response. */
export const TokenField = (description: string): PropertyDecorator =>
  applyDecorators(ApiProperty({ description }), IsString(), IsNotEmpty(), MaxLength(TOKEN_INPUT_MAX));
