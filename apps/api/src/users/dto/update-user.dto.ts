import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length } from 'class-validator';

import { SingleLine } from '../../common/decorators/single-line.decorator';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** PATCH: absent fields stay as they are. */
export class UpdateUserDto {
  @ApiProperty({ required: false, minLength: 1, maxLength: 200, example: 'Ada Lovelace' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @SingleLine()
  name?: string;
}
