import { EmailField, PasswordField } from './fields';

export class LoginDto {
  @EmailField()
  email: string;

  @PasswordField()
  password: string;
}
