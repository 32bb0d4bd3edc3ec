import type { ImportResponseDto } from './dto/import-response.dto';
import type { ImportView } from './imports.repository';

export function toImportResponse(view: ImportView): ImportResponseDto {
  return {
    id: view.id,
    status: view.status,
    format: view.format,
    account_id: view.accountId,
    provider_id: view.providerId,
    file_name: view.fileName,
    file_size: view.fileSize,
    transactions: {
      created: view.transactionsCreated,
      updated: view.transactionsUpdated,
      unchanged: view.transactionsUnchanged,
    },
    errors: view.errors,
    created_at: view.createdAt.toISOString(),
  };
}
