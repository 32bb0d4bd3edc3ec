import { Injectable, Logger } from '@nestjs/common';

import {
  ConnectionNotFoundError,
  type CredentialInput,
  type CredentialProviderClient,
  ProviderError,
  ProviderRegistry,
  TokenVaultService,
} from '@dashtam/providers';

import type { ClientContext } from '../common/decorators/client-context.decorator';
import { AppError, type FieldError } from '../common/errors';
import { SyncLauncher } from '../syncs/sync-launcher.service';
import { ClaimedCredentialSlots } from './claimed-credential-slots';
import { CredentialLinkLocks } from './credential-link-locks';
import type { LinkCredentialsDto } from './dto/link-credentials.dto';
import type { ProviderView } from './providers.repository';
import { ProvidersService } from './providers.service';

const FIELDS = {
  setup_token: ['setup_token'],
  api_key: ['api_key_id', 'api_secret', 'environment'],
} as const;

/**
 * Linking an institution with credentials in one call (SPEC §8 `POST …/credentials`): the credentials
 * are proven at the institution (`link`), and only what it proved is stored, through the token vault.
 * A SimpleFIN setup token works once, so its claimed Access URL is kept sealed in ClaimedCredentialSlots
 * until the database has it: a retry after a failed store uses it instead of claiming again.
 */
@Injectable()
export class ProviderCredentialsService {
  private readonly logger = new Logger(ProviderCredentialsService.name);

  constructor(
    private readonly providers: ProvidersService,
    private readonly registry: ProviderRegistry,
    private readonly vault: TokenVaultService,
    private readonly slots: ClaimedCredentialSlots,
    private readonly locks: CredentialLinkLocks,
    private readonly syncs: SyncLauncher,
  ) {}

  async link(provider: ProviderView, dto: LinkCredentialsDto, client: ClientContext): Promise<ProviderView> {
    // OAuth and file providers: 409 PROVIDER.AUTH_TYPE_MISMATCH; not offered here: 400 NOT_CONFIGURED.
    const institution = this.registry.credentialClient(provider.providerKey);
    const input = credentialInput(institution.authType, dto);
    const linked = await this.locks.exclusive(provider.id, () => this.prove(provider, institution, input, client));
    if (linked === null) {
      throw new AppError('PROVIDER.LINK_IN_PROGRESS', 'Another request is linking this provider; try again shortly');
    }
    await this.syncs.launchLinked(provider.connectionId, provider.userId);
    return this.providers.get(provider.userId, provider.id);
  }

  /**
   * Proves the credentials and stores what the institution answered. On an `active` provider this
   * replaces the stored credential (a rotated SimpleFIN token, new Alpaca keys); refused ones keep it.
   */
  private async prove(
    provider: ProviderView,
    institution: CredentialProviderClient,
    input: CredentialInput,
    client: ClientContext,
  ): Promise<void> {
    const slotName = input.kind === 'setup_token' ? input.setupToken : null;
    let secret = slotName === null ? null : await this.slots.find(provider.id, slotName);
    if (secret === null) {
      try {
        secret = (await institution.link(input)).secret;
      } catch (error) {
        if (error instanceof ProviderError) {
          this.logger.warn(`linking provider ${provider.id} with credentials failed: ${error.message}`);
        }
        throw error;
      }
      if (slotName !== null) await this.slots.hold(provider.id, slotName, secret);
    }
    try {
      await this.vault.storeCredential({ connectionId: provider.connectionId, secret, context: client });
    } catch (error) {
      if (error instanceof ConnectionNotFoundError) {
        throw new AppError('PROVIDER.NOT_FOUND', 'The provider was deleted while it was being linked');
      }
      throw error;
    }
    if (slotName !== null) await this.slots.release(provider.id, slotName);
  }
}

/** The dto's fields of this auth type, all of them; any field of another type is a validation failure. */
function credentialInput(authType: 'setup_token' | 'api_key', dto: LinkCredentialsDto): CredentialInput {
  const errors: FieldError[] = [];
  for (const [type, fields] of Object.entries(FIELDS)) {
    for (const field of fields) {
      const present = dto[field] !== undefined;
      if (type === authType && !present) {
        errors.push({ field, message: `${field} is required for this provider`, code: 'isDefined' });
      } else if (type !== authType && present) {
        errors.push({ field, message: `${field} does not apply to this provider`, code: 'forbidden' });
      }
    }
  }
  if (errors.length > 0) throw new AppError('VALIDATION.FAILED', 'The request has invalid fields', { errors });
  return authType === 'setup_token'
    ? { kind: 'setup_token', setupToken: dto.setup_token! }
    : { kind: 'api_key', apiKeyId: dto.api_key_id!, apiSecret: dto.api_secret!, environment: dto.environment! };
}
