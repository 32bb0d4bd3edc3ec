import { AccountEntity } from './account.entity';
import { AuthSessionEntity } from './auth-session.entity';
import { BalanceSnapshotEntity } from './balance-snapshot.entity';
import { EmailVerificationTokenEntity } from './email-verification-token.entity';
import { ImportEntity } from './import.entity';
import { PasswordResetTokenEntity } from './password-reset-token.entity';
import { ProviderAuditLogEntity } from './provider-audit-log.entity';
import { ProviderConnectionEntity } from './provider-connection.entity';
import { ProviderTokenEntity } from './provider-token.entity';
import { ProviderEntity } from './provider.entity';
import { PositionEntity } from './position.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { SecurityEventEntity } from './security-event.entity';
import { SyncEntity } from './sync.entity';
import { TransactionEntity } from './transaction.entity';
import { UserEntity } from './user.entity';

export * from './account.entity';
export * from './auth-session.entity';
export * from './balance-snapshot.entity';
export * from './base.entity';
export * from './email-verification-token.entity';
export * from './financial-vocabulary';
export * from './import.entity';
export * from './one-time-token.entity';
export * from './password-reset-token.entity';
export * from './position.entity';
export * from './provider-audit-log.entity';
export * from './provider-connection.entity';
export * from './provider-token.entity';
export * from './provider.entity';
export * from './refresh-token.entity';
export * from './security-event.entity';
export * from './sync.entity';
export * from './transaction.entity';
export * from './user.entity';

/** Every entity, explicitly; the DataSource, TestDbBootstrap and the drift check all use this list. */
export const ENTITIES = [
  UserEntity,
  ProviderEntity,
  ProviderConnectionEntity,
  ProviderTokenEntity,
  ProviderAuditLogEntity,
  AuthSessionEntity,
  RefreshTokenEntity,
  EmailVerificationTokenEntity,
  PasswordResetTokenEntity,
  SecurityEventEntity,
  AccountEntity,
  BalanceSnapshotEntity,
  PositionEntity,
  TransactionEntity,
  SyncEntity,
  ImportEntity,
];
