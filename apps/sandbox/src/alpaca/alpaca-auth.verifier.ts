import { Injectable } from '@nestjs/common';

import { AlpacaError } from './alpaca.error';
import { type AlpacaKey, AlpacaKeyStore } from './alpaca-key.store';

/** Trading API calls need an issued pair in `APCA-API-KEY-ID` and `APCA-API-SECRET-KEY`; 401 otherwise. */
@Injectable()
export class AlpacaAuthVerifier {
  constructor(private readonly keys: AlpacaKeyStore) {}

  keyFor(headers: Record<string, string | string[] | undefined>): AlpacaKey {
    const key = this.keys.verify(single(headers['apca-api-key-id']), single(headers['apca-api-secret-key']));
    if (!key) throw AlpacaError.unauthorized();
    return key;
  }
}

const single = (value: string | string[] | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;
