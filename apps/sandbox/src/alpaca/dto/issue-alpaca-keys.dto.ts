import { IsIn, IsOptional } from 'class-validator';

import type { AlpacaEnvironment } from '../alpaca-key.store';

/** `POST /__sandbox/alpaca/keys`: `{}` issues a paper key pair. */
export class IssueAlpacaKeysDto {
  @IsOptional()
  @IsIn(['paper', 'live'])
  environment?: AlpacaEnvironment;
}
