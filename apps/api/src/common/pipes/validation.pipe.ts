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
  /** Query DTOs whose defaults (the DTO built from no parameter at all) passed validation once. */
  private readonly validDefaults = new WeakSet<object>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Most list requests carry no query parameter: that is the DTO's defaults, validated the first time
    // and built directly afterwards (class-transformer and class-validator would give the same instance).
    const { metatype } = metadata;
    if (metadata.type === 'query' && metatype && isEmpty(value) && this.validDefaults.has(metatype)) {
      return new (metatype as new () => object)();
    }
    if (metadata.type !== 'custom') {
      const errors = unstorableInput(value, metadata.type === 'body' ? '' : (metadata.data ?? ''));
      if (errors.length > 0) throw new AppError('VALIDATION.FAILED', 'The request has invalid fields', { errors });
    }
    const transformed = await super.transform(value, metadata);
    if (metadata.type === 'query' && metatype && isEmpty(value)) this.validDefaults.add(metatype);
    return transformed;
  }
}

function isEmpty(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
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
