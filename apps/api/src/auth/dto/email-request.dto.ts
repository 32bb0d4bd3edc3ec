import { EmailField } from './fields';

/** Resend verification / request a password reset: the answer is the same whether the account exists. */
export class EmailRequestDto {
  @EmailField()
  email: string;
}
