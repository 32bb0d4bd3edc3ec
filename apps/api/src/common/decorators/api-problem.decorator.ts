import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

// The one error body (SPEC §8), described once for every documented error response.
const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code', 'request_id'],
  properties: {
    type: { type: 'string', example: 'about:blank' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string', nullable: true },
    code: { type: 'string', example: 'AUTH.INVALID_CREDENTIALS' },
    request_id: { type: 'string', nullable: true },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { field: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } },
      },
    },
  },
};

/** Documents problem+json error responses: `@ApiProblem(401, 'AUTH.INVALID_CREDENTIALS: …')`. */
export const ApiProblem = (status: number, description: string): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiResponse({ status, description, content: { 'application/problem+json': { schema: PROBLEM_SCHEMA } } }),
  );
