import { ValidationPipe, type ValidationError } from '@nestjs/common';

import { AppError, type FieldError } from '../errors';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([code, message]) => ({
      field,
      // class-validator's whitelist message reads "property x should not exist"; say it plainly.
      message: code === 'whitelistValidation' ? `unknown field "${field}"` : message,
      code: code === 'whitelistValidation' ? 'unknown_field' : code,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Strict global validation: unknown fields rejected, types transformed, errors in the shared shape. */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) =>
      new AppError('VALIDATION.FAILED', 'The request has invalid fields', { errors: flatten(errors) }),
  });
}
