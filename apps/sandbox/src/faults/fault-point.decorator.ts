import { SetMetadata } from '@nestjs/common';

import type { CountedEndpoint } from './fault.types';

export const FAULT_POINT = 'sandbox:fault-point';

/** Marks a handler as a counted endpoint where armed faults strike. */
export const FaultPoint = (endpoint: CountedEndpoint): MethodDecorator => SetMetadata(FAULT_POINT, endpoint);
