import { ProviderAuditLogEntity } from './provider-audit-log.entity';
import { ProviderConnectionEntity } from './provider-connection.entity';
import { ProviderTokenEntity } from './provider-token.entity';
import { ProviderEntity } from './provider.entity';
import { UserEntity } from './user.entity';

export * from './base.entity';
export * from './provider-audit-log.entity';
export * from './provider-connection.entity';
export * from './provider-token.entity';
export * from './provider.entity';
export * from './user.entity';

/** Every entity, explicitly; the DataSource, TestDbBootstrap and the drift check all use this list. */
export const ENTITIES = [
  UserEntity,
  ProviderEntity,
  ProviderConnectionEntity,
  ProviderTokenEntity,
  ProviderAuditLogEntity,
];
