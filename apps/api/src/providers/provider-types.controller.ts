import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';

import { ProviderRegistry } from '@dashtam/providers';

import { ApiProblem } from '../common/decorators/api-problem.decorator';
import { Public } from '../common/decorators/public.decorator';
import { AppError } from '../common/errors';
import {
  ListProviderTypesQueryDto,
  ProviderTypeListResponseDto,
  ProviderTypeResponseDto,
} from './dto/provider-type-response.dto';
import { toProviderTypeResponse } from './provider.mapper';

/** The catalog of institutions; `is_configured` reflects this server's configuration right now. */
@ApiTags('provider-types')
@Public()
@Controller('provider-types')
export class ProviderTypesController {
  constructor(private readonly registry: ProviderRegistry) {}

  @Get()
  @ApiOperation({ summary: 'Every institution Dashtam knows' })
  @ApiResponse({ status: 200, type: ProviderTypeListResponseDto })
  @ApiProblem(400, 'VALIDATION.FAILED: configured is not true or false')
  list(@Query() query: ListProviderTypesQueryDto): ProviderTypeListResponseDto {
    const items = this.registry
      .definitions()
      .filter((definition) => query.configured === undefined || definition.isConfigured === query.configured)
      .map(toProviderTypeResponse);
    return { items };
  }

  @Get(':key')
  @ApiOperation({ summary: 'One institution of the catalog' })
  @ApiParam({ name: 'key', example: 'sandbox' })
  @ApiResponse({ status: 200, type: ProviderTypeResponseDto })
  @ApiProblem(404, 'PROVIDER_TYPE.NOT_FOUND')
  get(@Param('key') key: string): ProviderTypeResponseDto {
    const definition = this.registry.find(key);
    if (!definition) throw new AppError('PROVIDER_TYPE.NOT_FOUND', 'No such provider type');
    return toProviderTypeResponse(definition);
  }
}
