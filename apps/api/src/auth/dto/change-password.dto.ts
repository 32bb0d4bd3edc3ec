import { NewPasswordField, PasswordField } from './fields';

export class ChangePasswordDto {
  @PasswordField()
  current_password: string;

  @NewPasswordField()
  new_password: string;
}
