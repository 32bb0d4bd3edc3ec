import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, Length, MaxLength } from 'class-validator';

import { SingleLine } from '../../common/decorators/single-line.decorator';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** A name the user gives a linked institution; unique among their live providers. */
export const AliasField = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ minLength: 1, maxLength: 100, example: 'My Schwab' }),
    Transform(trim),
    IsString(),
    Length(1, 100),
    SingleLine(),
  );

export class CreateProviderDto {
  @ApiProperty({ description: 'A catalog key from GET /provider-types', example: 'sandbox', maxLength: 64 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  provider_key: string;

  @AliasField()
  alias: string;
}
