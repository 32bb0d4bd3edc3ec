import { Param, ParseUUIDPipe } from '@nestjs/common';

import { AppError } from '../errors';

/** A path id that must be a UUID; anything else is a 400 before it reaches the database. */
export const UuidParam = (name: string): ParameterDecorator =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new AppError('VALIDATION.FAILED', 'The request has invalid fields', {
          errors: [{ field: name, message: `${name} must be a UUID`, code: 'isUuid' }],
        }),
    }),
  );
