import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { SMTPServer } from 'smtp-server';

import { waitFor } from '../wait/wait-for';
import { type MailMessage, parseMail } from './mail-message';

export interface Mailbox {
  /** Every message received so far for this address (lower-case comparison). */
  messagesFor(address: string): Promise<MailMessage[]>;
}

/** Waits until `address` has received at least `count` messages; returns the newest. */
export async function waitForMail(
  mailbox: Mailbox,
  address: string,
  count = 1,
  timeoutMs = 5_000,
): Promise<MailMessage> {
  return waitFor(
    `${count} mail(s) for ${address}`,
    async () => {
      const messages = await mailbox.messagesFor(address);
      return messages.length >= count ? messages[messages.length - 1] : undefined;
    },
    { timeoutMs, intervalMs: 25 },
  );
}

/** Reads the .eml files the api writes to MAIL_DIR when no SMTP server is configured. */
export class EmlDirectoryMailbox implements Mailbox {
  constructor(readonly dir: string) {}

  async messagesFor(address: string): Promise<MailMessage[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.eml')).sort();
    } catch {
      return [];
    }
    const messages = await Promise.all(names.map(async (n) => parseMail(await readFile(join(this.dir, n), 'utf8'))));
    return messages.filter((m) => m.to.toLowerCase().includes(address.toLowerCase()));
  }
}

export interface SmtpDelivery {
  envelopeFrom: string;
  envelopeTo: string[];
  user: string | null;
  message: MailMessage;
}

/**
 * A real SMTP server on loopback (ephemeral port) that requires the credentials it was created with
 * and keeps every message: the api talks to it exactly as it would to a production relay.
 */
export class LoopbackSmtpServer implements Mailbox {
  readonly deliveries: SmtpDelivery[] = [];
  private server?: SMTPServer;
  private port = 0;

  constructor(
    readonly user: string,
    private readonly pass: string,
  ) {}

  async start(): Promise<void> {
    this.server = new SMTPServer({
      // Loopback only; TLS to a real relay is the SMTP_URL's business (smtps:// or STARTTLS).
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === this.user && auth.password === this.pass) callback(null, { user: auth.username });
        else callback(new Error('Invalid username or password'));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.deliveries.push({
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            user: typeof session.user === 'string' ? session.user : null,
            message: parseMail(Buffer.concat(chunks).toString('utf8')),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as { port: number }).port;
  }

  /** SMTP_URL for the api under test. */
  get url(): string {
    return `smtp://${encodeURIComponent(this.user)}:${encodeURIComponent(this.pass)}@127.0.0.1:${this.port}`;
  }

  async messagesFor(address: string): Promise<MailMessage[]> {
    return this.deliveries
      .filter((d) => d.envelopeTo.some((to) => to.toLowerCase() === address.toLowerCase()))
      .map((d) => d.message);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
