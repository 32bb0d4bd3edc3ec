import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

import { callbackConfig, type CallbackConfig } from '@dashtam/config';

import { ApiCallbackClient, type CallbackDelivery, type DeliveryResult } from './api-callback.client';
import { renderResultPage, type ResultPage } from './html';

const LIMITS: Record<keyof CallbackDelivery, number> = { state: 512, code: 4096, error: 128, error_description: 1024 };

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // The URL that led here carried a code: never cache it, never leak it through a Referer.
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

/** A query value we accept: a single string within its length limit. */
function single(query: Record<string, unknown>, key: keyof CallbackDelivery): string | undefined | null {
  const value = query[key];
  if (value === undefined || value === '') return undefined;
  return typeof value === 'string' && value.length <= LIMITS[key] ? value : null;
}

function parse(query: Record<string, unknown>): CallbackDelivery | null {
  const fields = (['state', 'code', 'error', 'error_description'] as const).map((k) => [k, single(query, k)] as const);
  if (fields.some(([, v]) => v === null)) return null;
  const delivery = Object.fromEntries(fields.filter(([, v]) => v !== undefined)) as Partial<CallbackDelivery>;
  if (!delivery.state || (!delivery.code && !delivery.error)) return null;
  return delivery as CallbackDelivery;
}

function pageFor(result: DeliveryResult | null, delivery: CallbackDelivery | null): ResultPage {
  if (result?.kind === 'completed') {
    return {
      status: 200,
      title: `${result.alias} is connected`,
      message: `Dashtam can now read ${result.alias} on behalf of the Dashtam account ${result.account}.`,
      next:
        'Your accounts will appear in Dashtam shortly. You can close this window. If that is not your ' +
        'Dashtam account, disconnect the institution there and tell whoever sent you the link.',
    };
  }
  if (result?.kind === 'unavailable') {
    return {
      status: 502,
      title: 'Dashtam could not finish connecting',
      message: 'Dashtam is not reachable right now, so the connection was not completed.',
      next: 'Please start the connection again from Dashtam in a few minutes.',
    };
  }
  if (delivery?.error) {
    return {
      status: 400,
      title: 'The connection was not completed',
      message:
        delivery.error === 'access_denied'
          ? 'Access was declined at the institution.'
          : 'The institution did not grant access.',
      next: 'You can start the connection again from Dashtam whenever you like.',
    };
  }
  return {
    status: 400,
    title: 'This link can no longer be used',
    message: 'The connection request is invalid, has expired or was already used.',
    next: 'Please start the connection again from Dashtam.',
  };
}

/** Where institutions send the browser back (the registered redirect URI is `/callback`). */
@Controller()
export class CallbackController {
  constructor(
    private readonly api: ApiCallbackClient,
    @Inject(callbackConfig.KEY) private readonly config: CallbackConfig,
  ) {}

  @Get(['/', 'callback'])
  async handle(@Query() query: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const delivery = parse(query);
    if (delivery && this.config.mode === 'forward') {
      // The frontend completes with the signed-in user's token, so the grant lands in that user's
      // account only (a link sent to someone else cannot be completed into the sender's account).
      const target = new URL(this.config.redirectUrl!);
      for (const [key, value] of Object.entries(delivery)) target.searchParams.set(key, value);
      await reply
        .status(302)
        .headers({ location: target.toString(), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
        .send();
      return;
    }
    // Without a well-formed state there is nothing the api could complete: answer without calling it.
    const result = delivery ? await this.api.deliver(delivery) : null;
    const page = pageFor(result, delivery);
    await reply.status(page.status).headers(PAGE_HEADERS).send(renderResultPage(page));
  }
}
