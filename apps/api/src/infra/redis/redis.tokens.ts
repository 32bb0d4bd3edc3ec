/** DI token for the shared ioredis client; its value is null when no Redis is configured. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
