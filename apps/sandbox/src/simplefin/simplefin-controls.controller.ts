import { BadRequestException, Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { SIMPLEFIN_ROOT } from './simplefin.controller';
import { SimplefinStore } from './simplefin.store';

const MAX_ERRORS = 50;

/** Test controls of the Sandbox Bridge, under `/__sandbox/simplefin`; mounted only with SANDBOX_CONTROLS. */
@Controller('__sandbox/simplefin')
export class SimplefinControlsController {
  constructor(private readonly store: SimplefinStore) {}

  /** `{}` → a setup token: base64 of this Sandbox's claim URL, claimable once. */
  @Post('setup-tokens')
  @HttpCode(201)
  setupToken(@Body() body: unknown, @Req() request: FastifyRequest): { setup_token: string } {
    if (body !== undefined && body !== null && (typeof body !== 'object' || Object.keys(body).length > 0)) {
      throw new BadRequestException('send {}');
    }
    const claimUrl = `${request.protocol}://${request.host}/${SIMPLEFIN_ROOT}/claim/${this.store.issueSetupToken()}`;
    return { setup_token: Buffer.from(claimUrl, 'utf8').toString('base64') };
  }

  /** `{errors: [..]}`: what every `/accounts` answer reports in its `errors` array until changed or reset. */
  @Post('errors')
  @HttpCode(200)
  setErrors(@Body() body: unknown): { errors: string[] } {
    const errors = (body as { errors?: unknown } | null)?.errors;
    if (
      !Array.isArray(errors) ||
      errors.length > MAX_ERRORS ||
      !errors.every((e) => typeof e === 'string' && e.length <= 500)
    ) {
      throw new BadRequestException(`errors must be an array of at most ${MAX_ERRORS} strings`);
    }
    this.store.setErrors(errors as string[]);
    return { errors: this.store.currentErrors() };
  }
}
