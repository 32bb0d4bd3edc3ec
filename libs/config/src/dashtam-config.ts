import type { CONFIG_NAMESPACES } from './namespaces';

type Namespace = (typeof CONFIG_NAMESPACES)[number];

/** The whole validated configuration: one typed object per namespace, e.g. `config.database.url`. */
export type DashtamConfig = { [N in Namespace as N['name']]: ReturnType<N['map']> };
