import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';

import { AppError, type FieldError } from '../errors';
import { unstorableInput } from './storable-input';

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

/**
 * Strict global validation: what the database cannot store is refused first (NUL, lone surrogates, hostile
 * nesting), then unknown fields are rejected, types transformed, errors given in the shared shape.
 */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const errors = unstorableInput(value, metadata.type === 'body' ? '' : (metadata.data ?? ''));
      if (errors.length > 0) throw new AppError('VALIDATION.FAILED', 'The request has invalid fields', { errors });
    }
    return super.transform(value, metadata);
  }
}

export function strictValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) =>
      new AppError('VALIDATION.FAILED', 'The request has invalid fields', { errors: flatten(errors) }),
  });
}
