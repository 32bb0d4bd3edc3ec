import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'dashtam:isPublic';

/** Opts a route (or controller) out of the global deny-by-default authentication guard. */
export const Public = (): ClassDecorator & MethodDecorator => SetMetadata(IS_PUBLIC, true);
