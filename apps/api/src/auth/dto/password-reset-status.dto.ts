import { ApiProperty } from '@nestjs/swagger';

export class PasswordResetStatusDto {
  @ApiProperty()
  valid: boolean;

  @ApiProperty({ format: 'date-time', type: String, nullable: true })
  expires_at: string | null;
}
