import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';

import { appConfig, type AppConfig, authConfig, type AuthConfig, mailConfig, type MailConfig } from '@dashtam/config';

import { BackgroundTasksService } from '../background/background-tasks.service';
import { passwordResetMail, type RenderedMail, verificationMail } from './mail-templates';
import { MailTransport } from './mail.transport';

interface Recipient {
  email: string;
}

/**
 * Account mail (verification, password reset). Sending happens in the background: a slow or broken
 * mail server never delays or fails the request, and answers take the same time whether or not a
 * mail goes out. Log lines name the template only — never the recipient, the link or the token.
 */
@Injectable()
export class MailService implements OnApplicationShutdown {
  private readonly logger = new Logger(MailService.name);

  constructor(
    private readonly transport: MailTransport,
    private readonly background: BackgroundTasksService,
    @Inject(mailConfig.KEY) private readonly mail: MailConfig,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(authConfig.KEY) private readonly auth: AuthConfig,
  ) {}

  sendVerification(to: Recipient, token: string): void {
    const link = this.frontendLink('/verify-email', token);
    this.dispatch('verification', to, verificationMail(link, this.auth.emailVerificationTtlSeconds));
  }

  sendPasswordReset(to: Recipient, token: string): void {
    const link = this.frontendLink('/reset-password', token);
    this.dispatch('password_reset', to, passwordResetMail(link, this.auth.passwordResetTtlSeconds));
  }

  /** Lets queued mail finish before the process exits (graceful shutdown). */
  async onApplicationShutdown(): Promise<void> {
    await this.background.drain();
    this.transport.close();
  }

  private frontendLink(path: string, token: string): string {
    return `${this.app.frontendUrl}${path}?token=${encodeURIComponent(token)}`;
  }

  private dispatch(template: string, to: Recipient, rendered: RenderedMail): void {
    this.background.run(`mail:${template}`, async () => {
      try {
        await this.transport.deliver({ from: this.mail.from, to: to.email, ...rendered });
        this.logger.log({ template }, 'mail sent');
      } catch (error: unknown) {
        // nodemailer's code (ECONNECTION, EAUTH, …) and SMTP status say what failed without echoing content.
        const { code, responseCode } = (error ?? {}) as { code?: string; responseCode?: number };
        this.logger.error({ template, code: code ?? null, smtp_status: responseCode ?? null }, 'mail delivery failed');
      }
    });
  }
}
