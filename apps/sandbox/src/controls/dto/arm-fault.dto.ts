import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

import { FAULT_ENDPOINTS, FAULT_MODES, type FaultEndpoint, type FaultMode } from '../../faults/fault.types';

/** `POST /__sandbox/faults`. `count` defaults to 1; `ms` is the delay (latency), hold time (timeout) or Retry-After (429). */
export class ArmFaultDto {
  @IsIn(FAULT_ENDPOINTS)
  endpoint!: FaultEndpoint;

  @IsIn(FAULT_MODES)
  mode!: FaultMode;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  count?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600_000)
  ms?: number;
}
