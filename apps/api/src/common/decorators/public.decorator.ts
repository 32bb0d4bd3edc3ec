import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, type OpenAPIObject } from '@nestjs/swagger';

// A symbol, not a string: no other library's metadata can collide with it.
export const IS_PUBLIC = Symbol('isPublic');
const PUBLIC_EXTENSION = 'x-dashtam-public';

/**
 * Opts a route (or controller) out of the global deny-by-default authentication guard. The OpenAPI
 * document marks every other operation as needing the bearer token (see `applyBearerSecurity`).
 */
export const Public = (): ClassDecorator & MethodDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(PUBLIC_EXTENSION, true));

/**
 * Deny-by-default in the OpenAPI document too: every operation requires `bearer` unless it came
 * from a `@Public()` route, so a new controller is documented as protected without remembering to.
 */
export function applyBearerSecurity(document: OpenAPIObject, schemeName = 'bearer'): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path)) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
      const op = operation as Record<string, unknown>;
      if (op[PUBLIC_EXTENSION]) {
        delete op[PUBLIC_EXTENSION];
        op.security = [];
      } else {
        op.security = [{ [schemeName]: [] }];
      }
    }
  }
  return document;
}
