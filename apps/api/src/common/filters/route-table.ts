import FindMyWay, { type HTTPMethod } from 'find-my-way';

const METHODS: HTTPMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * A copy of the app's routes, filled from Fastify's onRoute hook, so an unmatched request can tell
 * "no such path" (404) from "path exists, other method" (405 with Allow).
 */
export class RouteTable {
  private readonly router = FindMyWay({ ignoreTrailingSlash: true });

  add(method: string | string[], url: string): void {
    for (const m of Array.isArray(method) ? method : [method]) {
      const upper = m.toUpperCase() as HTTPMethod;
      if (!METHODS.includes(upper)) continue;
      // Nest and Fastify may both announce a route; find-my-way refuses duplicates.
      if (!this.router.hasRoute(upper, url)) this.router.on(upper, url, () => undefined);
    }
  }

  /** Methods with a real route on this path; CORS's catch-all OPTIONS route alone does not count. */
  allowedMethods(path: string): string[] {
    const clean = path.split('?')[0];
    const allowed = METHODS.filter((method) => method !== 'OPTIONS' && this.router.find(method, clean) !== null);
    return allowed.length > 0 ? [...allowed, 'OPTIONS'] : [];
  }
}
