import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';

import { API_PREFIX, IS_PUBLIC } from '@dashtam/api-app';

import type { TestApp } from './test-app';

const UNPREFIXED = new Set(['/', '/health', '/health/ready']);

export interface Route {
  method: string;
  path: string;
  public: boolean;
}

const join = (...parts: string[]): string =>
  `/${parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/')}`;

/** Every route Nest registered, read from the controllers' metadata like the router does. */
export function registeredRoutes(t: TestApp): Route[] {
  const discovery = new DiscoveryService(t.app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const routes: Route[] = [];
  for (const { instance, metatype } of discovery.getControllers()) {
    if (!instance || !metatype) continue;
    const controllerPaths = [Reflect.getMetadata(PATH_METADATA, metatype) ?? ''].flat() as string[];
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as object;
      const methodPaths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (methodPaths === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const isPublic = Boolean(Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, metatype));
      for (const controllerPath of controllerPaths) {
        for (const methodPath of [methodPaths].flat()) {
          const bare = join(controllerPath, methodPath);
          routes.push({ method, path: UNPREFIXED.has(bare) ? bare : join(API_PREFIX, bare), public: isPublic });
        }
      }
    }
  }
  return routes;
}
