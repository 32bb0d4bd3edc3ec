import type { ProviderAuditLogEntity } from '@dashtam/database';
import { isUsableStatus, type ProviderDefinition, type TokenStatus } from '@dashtam/providers';

import type { AuditLogResponseDto } from './dto/audit-log-response.dto';
import type { ProviderResponseDto } from './dto/provider-response.dto';
import type { ProviderTypeResponseDto } from './dto/provider-type-response.dto';
import type { TokenStatusResponseDto } from './dto/token-status-response.dto';
import type { ProviderView } from './providers.repository';

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function toProviderTypeResponse(definition: ProviderDefinition): ProviderTypeResponseDto {
  return {
    key: definition.key,
    name: definition.name,
    provider_type: definition.providerType,
    description: definition.description,
    auth_type: definition.authType,
    is_configured: definition.isConfigured,
    supported_features: [...definition.supportedFeatures],
  };
}

export function toProviderResponse(view: ProviderView): ProviderResponseDto {
  // The resource spans two rows; it changed when either did.
  const updatedAt = view.connectionUpdatedAt > view.updatedAt ? view.connectionUpdatedAt : view.updatedAt;
  return {
    id: view.id,
    provider_key: view.providerKey,
    alias: view.alias,
    status: view.status,
    is_connected: isUsableStatus(view.status),
    needs_reconnection: view.status === 'requires_reauth',
    connected_at: iso(view.connectedAt),
    last_sync_at: iso(view.lastSyncAt),
    next_sync_at: iso(view.nextSyncAt),
    accounts_count: view.accountsCount,
    error_message: view.errorMessage,
    created_at: view.createdAt.toISOString(),
    updated_at: updatedAt.toISOString(),
  };
}

export function toTokenStatusResponse(status: TokenStatus): TokenStatusResponseDto {
  return {
    status: status.status,
    expires_at: iso(status.expiresAt),
    has_refresh_token: status.hasRefreshToken,
    scope: status.scope,
    last_refreshed_at: iso(status.lastRefreshedAt),
    refresh_count: status.refreshCount,
    refresh_token_expires_at: iso(status.refreshTokenExpiresAt),
  };
}

export function toAuditLogResponse(row: ProviderAuditLogEntity): AuditLogResponseDto {
  return {
    id: row.id,
    action: row.action,
    details: row.details,
    ip_address: row.ipAddress,
    user_agent: row.userAgent,
    request_id: row.requestId,
    created_at: row.createdAt.toISOString(),
  };
}
