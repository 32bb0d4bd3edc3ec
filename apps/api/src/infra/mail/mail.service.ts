import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';

import { appConfig, type AppConfig, authConfig, type AuthConfig, mailConfig, type MailConfig } from '@dashtam/config';

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
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly transport: MailTransport,
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
    await Promise.allSettled([...this.inFlight]);
    this.transport.close();
  }

  private frontendLink(path: string, token: string): string {
    return `${this.app.frontendUrl}${path}?token=${encodeURIComponent(token)}`;
  }

  private dispatch(template: string, to: Recipient, rendered: RenderedMail): void {
    const delivery = this.transport
      .deliver({ from: this.mail.from, to: to.email, ...rendered })
      .then(() => this.logger.log({ template }, 'mail sent'))
      // nodemailer's code (ECONNECTION, EAUTH, …) and SMTP status say what failed without echoing content.
      .catch((error: unknown) => {
        const { code, responseCode } = (error ?? {}) as { code?: string; responseCode?: number };
        this.logger.error({ template, code: code ?? null, smtp_status: responseCode ?? null }, 'mail delivery failed');
      })
      .finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
  }
}
