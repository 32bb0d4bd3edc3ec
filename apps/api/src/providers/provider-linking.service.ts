import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { callbackConfig, type CallbackConfig } from '@dashtam/config';
import {
  codeChallengeS256,
  ConnectionNotFoundError,
  createCodeVerifier,
  OAuthStateStore,
  type OAuthStateRecord,
  ProviderConnectionsRepository,
  ProviderError,
  ProviderRegistry,
  revokeGrant,
  TokenVaultService,
  writeProviderAudit,
} from '@dashtam/providers';

import type { ClientContext } from '../common/decorators/client-context.decorator';
import { AppError } from '../common/errors';
import { SyncLauncher } from '../syncs/sync-launcher.service';
import { maskEmail } from '../users/email';
import { UsersRepository } from '../users/users.repository';
import type { OAuthCallbackDto } from './dto/oauth-callback.dto';
import { ProvidersRepository, type ProviderView } from './providers.repository';

export interface AuthorizationStart {
  authorizationUrl: string;
  expiresAt: Date;
}

export interface LinkResult {
  providerId: string;
  alias: string;
  status: 'active';
  /** The Dashtam account the institution was linked into, masked (`a***@example.com`). */
  account: string;
}

/** Who completes a flow through the frontend: only the user who started it may. */
export interface CompletingUser {
  userId: string;
}

// An institution's `error` is echoed into the audit trail only when it looks like an OAuth error code.
const OAUTH_ERROR_CODE = /^[a-z_]{1,64}$/;

function stateInvalid(): AppError {
  return new AppError('OAUTH.STATE_INVALID', 'The authorization request is unknown, expired or already used');
}

/**
 * Linking an institution (SPEC §5): the authorization URL with a one-time state (and PKCE where the
 * institution takes it), and the callback that consumes the state and exchanges the code. The state
 * lives in Redis, so whichever instance receives the callback can finish the flow.
 */
@Injectable()
export class ProviderLinkingService {
  private readonly logger = new Logger(ProviderLinkingService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: ProvidersRepository,
    private readonly connections: ProviderConnectionsRepository,
    private readonly registry: ProviderRegistry,
    private readonly states: OAuthStateStore,
    private readonly vault: TokenVaultService,
    private readonly users: UsersRepository,
    private readonly syncs: SyncLauncher,
    @Inject(callbackConfig.KEY) private readonly callback: CallbackConfig,
  ) {}

  async start(provider: ProviderView, client: ClientContext): Promise<AuthorizationStart> {
    const institution = this.registry.oauthClient(provider.providerKey);
    const codeVerifier = institution.supportsPkce ? createCodeVerifier() : null;
    const redirectUri = this.callback.redirectUri;
    // The audit row and the state stand or fall together: a failed insert leaves only an unusable
    // state behind (nobody ever saw it), which expires on its own.
    const { state, record } = await this.dataSource.transaction(async (manager) => {
      const created = await this.states.create({
        userId: provider.userId,
        providerId: provider.id,
        providerKey: provider.providerKey,
        redirectUri,
        codeVerifier,
      });
      await writeProviderAudit(
        manager,
        {
          action: 'connection_initiated',
          providerId: provider.id,
          connectionId: provider.connectionId,
          userId: provider.userId,
          details: {
            provider_key: provider.providerKey,
            pkce: codeVerifier !== null,
            expires_at: created.record.expiresAt.toISOString(),
          },
        },
        client,
      );
      return created;
    });
    const authorizationUrl = institution.authorizationUrl({
      state,
      redirectUri,
      codeChallenge: codeVerifier === null ? undefined : codeChallengeS256(codeVerifier),
    });
    return { authorizationUrl, expiresAt: record.expiresAt };
  }

  /**
   * Completes (or fails) the flow the state names. The state is taken atomically first: of several
   * concurrent deliveries one gets it, and a replayed, expired, unknown or foreign state changes nothing.
   */
  async complete(delivery: OAuthCallbackDto, client: ClientContext, caller?: CompletingUser): Promise<LinkResult> {
    if (delivery.code === undefined && delivery.error === undefined) {
      throw new AppError('VALIDATION.FAILED', 'The request has invalid fields', {
        errors: [{ field: 'code', message: 'code or error is required', code: 'isDefined' }],
      });
    }
    // Another user's state is refused without consuming it, so its owner can still complete the flow.
    if (caller && (await this.states.peek(delivery.state))?.userId !== caller.userId) throw stateInvalid();
    const record = await this.states.consume(delivery.state);
    if (!record || (caller && record.userId !== caller.userId)) throw stateInvalid();
    // The state is bound to a user and one of their live providers; anything else is a forgery or stale.
    const provider = await this.repository.findOwned(record.userId, record.providerId);
    if (!provider || provider.providerKey !== record.providerKey) throw stateInvalid();

    if (delivery.error !== undefined) {
      const oauthError = OAUTH_ERROR_CODE.test(delivery.error) ? delivery.error : 'invalid_error_code';
      await this.recordFailure(provider, client, { stage: 'authorization', oauth_error: oauthError });
      throw oauthError === 'access_denied'
        ? new AppError('OAUTH.ACCESS_DENIED', 'Access was declined at the institution')
        : new AppError('OAUTH.AUTHORIZATION_FAILED', 'The institution did not grant access');
    }
    const tokens = await this.exchange(provider, record, delivery.code!, client);
    try {
      await this.vault.storeAuthorizedTokens({ connectionId: provider.connectionId, tokens, context: client });
    } catch (error) {
      if (!(error instanceof ConnectionNotFoundError)) throw error;
      // Deleted while the code was exchanged: the new grant can never be stored, so it must not stay
      // active at the institution either.
      const { outcome, reason } = await revokeGrant(this.registry.oauthClient(record.providerKey), () => tokens);
      this.logger.warn(
        `provider ${provider.id} was deleted during its code exchange; grant ${outcome}${reason ? ` (${reason})` : ''}`,
      );
      throw new AppError(
        'PROVIDER.NOT_FOUND',
        'The provider was deleted while it was being linked; nothing was stored',
      );
    }
    // Linked: the first sync starts now, not at the next scan (it never fails the linking).
    await this.syncs.launchLinked(provider.connectionId, provider.userId);
    const owner = await this.users.findById(provider.userId);
    return { providerId: provider.id, alias: provider.alias, status: 'active', account: maskEmail(owner?.email ?? '') };
  }

  /** Failures are audited here and rethrown as they are: the error filter turns them into problems. */
  private async exchange(provider: ProviderView, record: OAuthStateRecord, code: string, client: ClientContext) {
    let institution;
    try {
      institution = this.registry.oauthClient(record.providerKey);
    } catch (error) {
      await this.recordFailure(provider, client, { stage: 'code_exchange', reason: 'not_configured' });
      throw error;
    }
    try {
      return await institution.exchangeCode({
        code,
        redirectUri: record.redirectUri,
        codeVerifier: record.codeVerifier ?? undefined,
      });
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      this.logger.warn(`code exchange for provider ${provider.id} failed: ${error.message}`);
      await this.recordFailure(provider, client, {
        stage: 'code_exchange',
        classification: error.classification,
        oauth_error: error.oauthError,
        http_status: error.status,
      });
      throw error;
    }
  }

  /**
   * A failed flow: audit `connection_error`. A connection without usable tokens also shows why;
   * an active one keeps working and is left alone.
   */
  private async recordFailure(
    provider: ProviderView,
    client: ClientContext,
    details: Record<string, string | number | null>,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const current = await this.repository.lockOwned(manager, provider.userId, provider.id);
      if (!current) return;
      if (current.status !== 'active' && current.status !== 'error') {
        await this.connections.setErrorMessage(manager, current.connectionId, 'The last attempt to link failed');
      }
      await writeProviderAudit(
        manager,
        {
          action: 'connection_error',
          providerId: current.id,
          connectionId: current.connectionId,
          userId: current.userId,
          details,
        },
        client,
      );
    });
  }
}
