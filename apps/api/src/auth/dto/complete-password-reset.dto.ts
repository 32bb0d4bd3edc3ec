import { NewPasswordField, TokenField } from './fields';

export class CompletePasswordResetDto {
  @TokenField('The token from the reset email')
  token: string;

  @NewPasswordField()
  new_password: string;
}
