import type { EnvOf, EnvVariables } from './env-variable';

export interface MapContext {
  /** Relative file paths resolve against this directory (the repository root by default). */
  cwd: string;
}

/**
 * One `registerAs` namespace: the variables it owns (each variable has exactly one owner), the checks
 * joi cannot express, and the mapping from validated values to its typed object. `Read` names
 * variables it reads from another namespace.
 */
export interface ConfigNamespace<Name extends string, Vars extends EnvVariables, Config, Read = unknown> {
  readonly name: Name;
  readonly variables: Vars;
  /** One line per problem, naming the variable, never its value; variables in `invalid` already failed joi. */
  check?(env: EnvOf<Vars> & Read, invalid: ReadonlySet<string>): string[];
  map(env: EnvOf<Vars> & Read, context: MapContext): Config;
}

/** Typed by inference: `name`, the variables' types and the mapped config come from the definition. */
export function defineNamespace<Name extends string, Vars extends EnvVariables, Config, Read = unknown>(
  definition: ConfigNamespace<Name, Vars, Config, Read>,
): ConfigNamespace<Name, Vars, Config, Read> {
  return definition;
}
