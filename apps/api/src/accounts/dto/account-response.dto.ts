import { ApiProperty } from '@nestjs/swagger';

import { ACCOUNT_TYPES, type AccountType } from '@dashtam/database';

import { MoneyProperty } from '../../common/decorators/decimal-property.decorator';

export class AccountResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid', description: 'The linked institution (GET /providers/{id}) it comes from' })
  provider_id: string;

  @ApiProperty({ example: 'Individual Brokerage' })
  name: string;

  @ApiProperty({ enum: ACCOUNT_TYPES })
  account_type: AccountType;

  @ApiProperty({
    type: String,
    nullable: true,
    pattern: '^[0-9]{1,4}$',
    example: '1234',
    description: 'Last digits only',
  })
  mask: string | null;

  @ApiProperty({ example: 'USD' })
  currency: string;

  @MoneyProperty({ nullable: true, description: "The account's total value at the institution" })
  current_balance: string | null;

  @MoneyProperty({ nullable: true })
  available_balance: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  balance_as_of: string | null;

  @ApiProperty({ description: 'false once the institution no longer reports the account (closed)' })
  is_active: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_synced_at: string | null;
}

export class AccountListResponseDto {
  @ApiProperty({ type: [AccountResponseDto] })
  items: AccountResponseDto[];
}
