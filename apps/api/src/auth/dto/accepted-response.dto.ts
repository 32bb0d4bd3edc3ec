import { ApiProperty } from '@nestjs/swagger';

export class AcceptedResponseDto {
  @ApiProperty({ enum: ['accepted'] })
  status: 'accepted';
}
