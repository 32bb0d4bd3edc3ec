import { IsNumber, Max, Min } from 'class-validator';

/** `POST /__sandbox/clock`: forward only, at most ten years in one step. */
export class AdvanceClockDto {
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(10 * 365 * 86_400)
  advance_seconds!: number;
}
