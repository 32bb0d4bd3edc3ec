export const ENVIRONMENTS = ['development', 'testing', 'ci', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Which env file each environment reads; later entries win. Production reads the real environment only. */
export const ENV_FILES: Record<Environment, readonly string[]> = {
  development: ['.env'],
  testing: ['.env.test'],
  ci: ['.env.test'],
  production: [],
};

export function isTestEnvironment(env: Environment): boolean {
  return env === 'testing' || env === 'ci';
}
