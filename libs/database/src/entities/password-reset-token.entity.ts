import { Entity, Index, JoinColumn, ManyToOne } from 'typeorm';

import { OneTimeTokenEntity } from './one-time-token.entity';
import { UserEntity } from './user.entity';

@Entity({ name: 'password_reset_tokens' })
@Index('uq_password_reset_tokens_hash', ['tokenHash'], { unique: true })
@Index('ix_password_reset_tokens_user', ['userId'])
export class PasswordResetTokenEntity extends OneTimeTokenEntity {
  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_password_reset_tokens_user' })
  user?: UserEntity;
}
