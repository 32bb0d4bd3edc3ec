/** An answer the Sandbox gives on purpose, in the wire format of the endpoint that gives it. */
export abstract class SandboxHttpError extends Error {
  protected constructor(
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  abstract contentType(): string;
  abstract payload(): string | object;
}
