import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, false: false };

/**
 * A boolean query parameter. Query strings are text: only the words "true" and "false" become
 * booleans; anything else ("1", "yes", a repeated parameter) stays as it came and fails IsBoolean.
 */
export const QueryBoolean = (): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && Object.hasOwn(BOOLEAN_WORDS, value) ? BOOLEAN_WORDS[value] : value,
    ),
    IsBoolean(),
  );
