import { Body, Controller, HttpCode, Post, UsePipes, ValidationPipe } from '@nestjs/common';

import { AlpacaKeyStore } from './alpaca-key.store';
import { IssueAlpacaKeysDto } from './dto/issue-alpaca-keys.dto';

/** Test-only: mounted with the other controls, only when SANDBOX_CONTROLS=true. */
@Controller('__sandbox/alpaca')
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class AlpacaControlsController {
  constructor(private readonly keys: AlpacaKeyStore) {}

  /** A new API key pair, and with it a new Alpaca account with two years of seeded history. */
  @Post('keys')
  @HttpCode(201)
  issue(@Body() dto: IssueAlpacaKeysDto = {}): { api_key_id: string; api_secret: string; environment: string } {
    const key = this.keys.issue(dto.environment ?? 'paper');
    return { api_key_id: key.keyId, api_secret: key.secret, environment: key.environment };
  }
}
