import { Entity, Index, JoinColumn, ManyToOne } from 'typeorm';

import { OneTimeTokenEntity } from './one-time-token.entity';
import { UserEntity } from './user.entity';

@Entity({ name: 'email_verification_tokens' })
@Index('uq_email_verification_tokens_hash', ['tokenHash'], { unique: true })
@Index('ix_email_verification_tokens_user', ['userId'])
export class EmailVerificationTokenEntity extends OneTimeTokenEntity {
  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_email_verification_tokens_user' })
  user?: UserEntity;
}
