import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsUrl,
  Matches,
  Max,
  Min,
} from 'class-validator';

import { USERNAME } from '../../oauth/authorize.service';
import { MAX_TRANSACTIONS_PER_ACCOUNT, type RotationMode } from '../../sandbox-options';
import { ACCOUNT_KINDS, type AccountKind } from '../../trader/data/account-profiles';

/**
 * `POST /__sandbox/settings`. SPEC fields: rotation, access_ttl_seconds, refresh_ttl_seconds. The rest
 * are Sandbox extensions. TTL changes apply to tokens issued afterwards; the call limit applies at once.
 */
export class UpdateSettingsDto {
  @IsOptional()
  @IsIn(['static', 'rotating'])
  rotation?: RotationMode;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(300)
  reuse_grace_seconds?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30 * 86_400)
  access_ttl_seconds?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365 * 86_400)
  refresh_ttl_seconds?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3_600)
  code_ttl_seconds?: number;

  @IsOptional()
  @IsBoolean()
  auto_approve?: boolean;

  @IsOptional()
  @Matches(USERNAME)
  user?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_TRANSACTIONS_PER_ACCOUNT)
  transactions_per_account?: number;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(32)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { each: true })
  redirect_uris?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ACCOUNT_KINDS, { each: true })
  account_kinds?: AccountKind[];

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10 * 365 * 86_400)
  closed_account_after_seconds?: number;

  /** null lifts the limit (IsOptional lets null through on purpose). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  access_token_call_limit?: number | null;
}
