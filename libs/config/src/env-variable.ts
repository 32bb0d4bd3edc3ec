import * as Joi from 'joi';

/** One environment variable: its joi rule, whether it holds a secret, and the type the rule converts to. */
export interface EnvVariable<T> {
  readonly rule: Joi.Schema;
  /** Redacted from logs and config errors; production refuses its development value (defaults.ts). */
  readonly sensitive?: true;
  /** Compile time only: what `rule` leaves after conversion, so a namespace's mapping reads typed values. */
  readonly type?: T;
}

export type EnvVariables = Record<string, EnvVariable<unknown>>;

/** The validated, converted values of `Vars`, keyed by variable name. */
export type EnvOf<Vars extends EnvVariables> = { [K in keyof Vars]: Vars[K] extends EnvVariable<infer T> ? T : never };

// The rule's schema kind decides the type: a number rule cannot be read as a string by mistake.
export const text = (rule: Joi.StringSchema): EnvVariable<string> => ({ rule });
export const integer = (rule: Joi.NumberSchema): EnvVariable<number> => ({ rule });
export const flag = (rule: Joi.BooleanSchema): EnvVariable<boolean> => ({ rule });
export const oneOf = <T extends string>(values: readonly T[]): EnvVariable<T> => ({
  rule: Joi.string()
    .valid(...values)
    .required(),
});
/** Marks a variable as a secret; the one place sensitivity is declared (SENSITIVE_ENV_KEYS is derived). */
export const secret = <T>(variable: EnvVariable<T>): EnvVariable<T> => ({ ...variable, sensitive: true });

export const bool = Joi.boolean().truthy('1', 'yes').falsy('0', 'no', '');
export const port = Joi.number().integer().min(0).max(65535);
export const url = (schemes: string[]): Joi.StringSchema => Joi.string().uri({ scheme: schemes });

/** Empty means "not set". */
export const optional = (value: string): string | null => (value === '' ? null : value);
export const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
export const withoutTrailingSlash = (value: string): string => value.replace(/\/$/, '');
