import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { FaultPoint } from '../faults/fault-point.decorator';
import { PAGE_HEADERS } from '../html/page';
import { SandboxSettings } from '../settings/sandbox-settings';
import { AuthorizeService, type AuthorizeOutcome } from './authorize.service';
import { CONSENT_PATH, renderConsentPage } from './consent-page';

/** Browser-facing half of the flow: the consent page and its decision. */
@Controller()
export class AuthorizeController {
  constructor(
    private readonly authorize: AuthorizeService,
    private readonly settings: SandboxSettings,
  ) {}

  @Get('v1/oauth/authorize')
  @FaultPoint('authorize')
  begin(@Query() query: unknown, @Res() reply: FastifyReply): void {
    this.send(reply, this.authorize.begin(query));
  }

  @Post(CONSENT_PATH.slice(1))
  @FaultPoint('consent')
  decide(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.send(reply, this.authorize.decide(request.body));
  }

  private send(reply: FastifyReply, outcome: AuthorizeOutcome): void {
    if (outcome.kind === 'redirect') {
      void reply.status(302).headers({ location: outcome.location, 'cache-control': 'no-store' }).send();
      return;
    }
    void reply.status(200).headers(PAGE_HEADERS).send(renderConsentPage(outcome.request, this.settings.current.user));
  }
}
