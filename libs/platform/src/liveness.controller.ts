import { Controller, Get } from '@nestjs/common';

@Controller('health')
/** `GET /health` for apps whose liveness is all there is to report (callback, sandbox). */
export class LivenessController {
  @Get()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
