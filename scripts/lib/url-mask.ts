/**
 * A connection URL fit for a terminal or a log line: the password becomes `***`, everything else
 * stays so a reader can still tell which server, role and database are meant.
 */
export function maskUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '<invalid URL>';
  }
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** The same URL pointing at another host and port; role, password, database and options kept. */
export function withHostPort(url: string, host: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = host;
  parsed.port = String(port);
  return parsed.toString();
}
