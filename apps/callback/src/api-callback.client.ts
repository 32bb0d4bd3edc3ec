import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import { Inject, Injectable, Logger } from '@nestjs/common';

import {
  appConfig,
  type AppConfig,
  callbackConfig,
  type CallbackConfig,
  tlsConfig,
  type TlsFiles,
} from '@dashtam/config';

export interface CallbackDelivery {
  state: string;
  code?: string;
  error?: string;
  error_description?: string;
}

export type DeliveryResult =
  | { kind: 'completed'; providerId: string; alias: string; status: string; account: string }
  | { kind: 'refused'; httpStatus: number; code: string | null }
  | { kind: 'unavailable' };

/**
 * Hands code+state to the api (`POST /api/v1/oauth/callbacks` with the shared secret). Only the api
 * knows states and talks to institutions; this app never sees a token.
 */
@Injectable()
export class ApiCallbackClient {
  private readonly logger = new Logger(ApiCallbackClient.name);
  private readonly ca: Buffer | undefined;

  constructor(
    @Inject(callbackConfig.KEY) private readonly config: CallbackConfig,
    @Inject(appConfig.KEY) app: AppConfig,
    @Inject(tlsConfig.KEY) tls: TlsFiles,
  ) {
    // Outside production the api serves the self-signed development certificate: trust exactly that one.
    const caFile = tls.caFile ?? (app.environment !== 'production' ? tls.certFile : null);
    this.ca = caFile && config.apiUrl.startsWith('https:') ? safeRead(caFile) : undefined;
  }

  async deliver(delivery: CallbackDelivery): Promise<DeliveryResult> {
    const url = new URL('/api/v1/oauth/callbacks', this.config.apiUrl);
    const body = JSON.stringify(delivery);
    try {
      const { status, text } = await this.post(url, body);
      if (status === 200) {
        const parsed = JSON.parse(text) as { provider_id: string; alias: string; status: string; account: string };
        return {
          kind: 'completed',
          providerId: parsed.provider_id,
          alias: parsed.alias,
          status: parsed.status,
          account: parsed.account,
        };
      }
      if (status >= 400 && status < 500) {
        return { kind: 'refused', httpStatus: status, code: codeOf(text) };
      }
      this.logger.warn(`api answered ${status} to a callback delivery`);
      return { kind: 'unavailable' };
    } catch (error) {
      this.logger.warn(`api unreachable for a callback delivery: ${(error as Error).message}`);
      return { kind: 'unavailable' };
    }
  }

  private post(url: URL, body: string): Promise<{ status: number; text: string }> {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-callback-secret': this.config.secret,
          },
          ca: this.ca,
          timeout: this.config.apiTimeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body);
    });
  }
}

function safeRead(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function codeOf(text: string): string | null {
  try {
    const code = (JSON.parse(text) as { code?: unknown }).code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}
