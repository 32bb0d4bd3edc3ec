import { Module } from '@nestjs/common';

import { mailConfig, type MailConfig } from '@dashtam/config';

import { BackgroundModule } from '../background/background.module';
import { FileMailTransport, MailTransport, SmtpMailTransport } from './mail.transport';
import { MailService } from './mail.service';

@Module({
  imports: [BackgroundModule],
  providers: [
    {
      provide: MailTransport,
      inject: [mailConfig.KEY],
      useFactory: (mail: MailConfig): MailTransport =>
        mail.smtpUrl ? new SmtpMailTransport(mail.smtpUrl) : new FileMailTransport(mail.dir),
    },
    MailService,
  ],
  exports: [MailService],
})
export class MailModule {}
