import { AliasField } from './create-provider.dto';

export class UpdateProviderDto {
  @AliasField()
  alias: string;
}
