export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

// No user-supplied text goes into a mail: these are sent to any address someone types, and a display
// name holding a URL would be rendered as a link by mail clients (content injection).
function render(intro: string, action: string, link: string, outro: string): RenderedMail {
  const greeting = 'Hello,';
  return {
    subject: action,
    text: `${greeting}\n\n${intro}\n\n${link}\n\n${outro}\n\n— Dashtam\n`,
    html:
      `<p>${escapeHtml(greeting)}</p><p>${escapeHtml(intro)}</p>` +
      `<p><a href="${escapeHtml(link)}">${escapeHtml(action)}</a></p>` +
      `<p>${escapeHtml(outro)}</p><p>— Dashtam</p>`,
  };
}

const hours = (seconds: number): string =>
  seconds % 3600 === 0 ? `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}` : `${Math.round(seconds / 60)} minutes`;

export function verificationMail(link: string, ttlSeconds: number): RenderedMail {
  return render(
    'Please confirm your email address for your Dashtam account by opening this link:',
    'Verify your email address',
    link,
    `The link works once and expires in ${hours(ttlSeconds)}. If you did not create an account, ignore this message.`,
  );
}

export function passwordResetMail(link: string, ttlSeconds: number): RenderedMail {
  return render(
    'Someone (hopefully you) asked to reset the password of your Dashtam account. Choose a new password here:',
    'Reset your password',
    link,
    `The link works once and expires in ${hours(ttlSeconds)}. If you did not ask for this, ignore this message; ` +
      'your password stays as it is.',
  );
}
