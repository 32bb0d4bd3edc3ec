import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';

/**
 * Money and quantities leave the api as decimal strings exactly as PostgreSQL stores them: a fixed
 * number of decimals (money numeric(19,4) → 4, quantities and unit prices numeric(19,8) → 8), trailing
 * zeros kept, a leading '-' when negative, never a JSON number. One spelling per value, so clients can
 * compare strings, and no rounding anywhere between the database and the client.
 */
export const MONEY_PATTERN = '^-?\\d+\\.\\d{4}$';
export const QUANTITY_PATTERN = '^-?\\d+\\.\\d{8}$';

type Extra = Pick<ApiPropertyOptions, 'description' | 'example'> & { nullable?: boolean };

/** OpenAPI for a money field: a string with exactly 4 decimals. */
export const MoneyProperty = ({
  nullable = false,
  example = '1234.5000',
  description,
}: Extra = {}): PropertyDecorator =>
  ApiProperty({ type: String, pattern: MONEY_PATTERN, nullable, example, description });

/** OpenAPI for a quantity or unit price: a string with exactly 8 decimals. */
export const QuantityProperty = ({
  nullable = false,
  example = '10.00000000',
  description,
}: Extra = {}): PropertyDecorator =>
  ApiProperty({ type: String, pattern: QUANTITY_PATTERN, nullable, example, description });
