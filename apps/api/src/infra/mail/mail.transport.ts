import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { createTransport, type Transporter } from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Where mail goes: an SMTP server in real deployments, a folder of .eml files otherwise. */
export abstract class MailTransport {
  abstract deliver(mail: OutgoingMail): Promise<void>;
  abstract close(): void;
}

// Bounded so a stuck server can never hold a request or a shutdown for long.
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

export class SmtpMailTransport extends MailTransport {
  private readonly transporter: Transporter;

  /** `url`: smtp://user:pass@host:port (STARTTLS when offered) or smtps:// (TLS from the first byte). */
  constructor(url: string) {
    super();
    this.transporter = createTransport({ url, ...SMTP_TIMEOUTS, logger: false, debug: false });
  }

  async deliver(mail: OutgoingMail): Promise<void> {
    await this.transporter.sendMail(mail);
  }

  close(): void {
    this.transporter.close();
  }
}

/**
 * Development and tests without SMTP: each message becomes `<time>-<id>.eml` in `dir`, readable by a
 * person (any mail client opens it) or a test. Owner-only permissions: the files carry live tokens.
 */
export class FileMailTransport extends MailTransport {
  private readonly transporter = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(private readonly dir: string) {
    super();
  }

  async deliver(mail: OutgoingMail): Promise<void> {
    const info = await this.transporter.sendMail(mail);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}.eml`;
    await writeFile(join(this.dir, name), info.message as Buffer, { mode: 0o600 });
  }

  close(): void {
    this.transporter.close();
  }
}
