import { TokenField } from './fields';

export class TokenDto {
  @TokenField('The token from the emailed link')
  token: string;
}
