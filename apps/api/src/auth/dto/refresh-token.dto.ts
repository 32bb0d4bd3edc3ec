import { TokenField } from './fields';

export class RefreshTokenDto {
  @TokenField('The refresh token from the last login or refresh')
  refresh_token: string;
}
