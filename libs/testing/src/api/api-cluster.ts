import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DataSource } from 'typeorm';

import { getConfig } from '@dashtam/config';
import { TokenCipherService } from '@dashtam/crypto';
import { buildDataSourceOptions, truncateAllTables } from '@dashtam/database';

import { startCallbackApp } from '../callback/start-callback-app';
import type { SandboxControlsClient } from '../sandbox/sandbox-controls.client';
import { type SandboxHandle, startSandbox } from '../sandbox/sandbox-test-harness';
import { AuthApi, bearer, type TokenBody } from './auth-api';
import { type ApiProcess, startApiProcess, startApiProcesses, stopAll } from './process-harness';
import { newPassword, uniqueEmail } from './users.factory';

export interface ClusterOptions {
  /** api processes to start. */
  size: number;
  /** Environment every api process gets on top of the cluster's own (ports, secrets, prefix). */
  env?: Record<string, string>;
}

/**
 * Several real api processes sharing the test PostgreSQL database and Redis index, the Sandbox
 * institution and the callback app over TLS (both in this process, on ephemeral ports), as a
 * deployment behind a load balancer would run them. Secrets and the BullMQ prefix are minted per run.
 */
export interface ApiCluster {
  processes: ApiProcess[];
  sandbox: SandboxHandle;
  controls: SandboxControlsClient;
  callbackUrl: string;
  /** This test's own connection to the shared database, for assertions. */
  dataSource: DataSource;
  /** The same key ring as the api processes: reads stored tokens for assertions. */
  cipher: TokenCipherService;
  queuePrefix: string;
  /** Starts one more api process configured like the others (e.g. to replace a killed one). */
  spawn: (name: string) => Promise<ApiProcess>;
  /** Points the callback app at `target` (it starts on the first process; that one may be killed). */
  routeCallbacksTo: (target: ApiProcess) => void;
  close: () => Promise<void>;
}

export async function startApiCluster(options: ClusterOptions): Promise<ApiCluster> {
  const config = getConfig();
  const callbackSecret = `cb-${randomBytes(24).toString('base64url')}`;
  const queuePrefix = `dashtam-test-${randomBytes(6).toString('hex')}`;
  const mailDir = await mkdtemp(join(tmpdir(), 'dashtam-cluster-mail-'));

  // The callback app learns the api's URL once an api process listens (the api processes need the
  // callback's redirect URI first), so it is routed to the first process after they start.
  const callbackApp = await startCallbackApp({ callback: { apiUrl: 'http://127.0.0.1:1', secret: callbackSecret } });
  const callbackUrl = callbackApp.url;

  const { sandbox, controls } = await startSandbox({
    clientSecret: `sandbox-secret-${randomBytes(12).toString('hex')}`,
    redirectUris: [`${callbackUrl}/callback`],
    autoApprove: false,
    rotation: 'rotating',
  });

  const env: Record<string, string> = {
    SANDBOX_BASE_URL: sandbox.url,
    SANDBOX_CLIENT_ID: sandbox.options.clientId,
    SANDBOX_CLIENT_SECRET: sandbox.options.clientSecret,
    // The Sandbox also plays Alpaca's Trading API and a SimpleFIN Bridge.
    ALPACA_BASE_URL: sandbox.url,
    SIMPLEFIN_ALLOWED_HOSTS: `127.0.0.1:${new URL(sandbox.url).port}`,
    CALLBACK_PUBLIC_URL: callbackUrl,
    CALLBACK_SECRET: callbackSecret,
    JOBS_QUEUE_PREFIX: queuePrefix,
    MAIL_DIR: mailDir,
    // Several processes share the machine's PostgreSQL with the rest of the suite.
    DATABASE_POOL_MAX: '5',
    ...options.env,
  };
  const dataSource = await new DataSource(buildDataSourceOptions(config.database)).initialize();
  // The processes' refresh job scans every connection in the database: earlier suites' leftovers
  // (tokens of another Sandbox, some expired) would be refreshed against this one and move its counters.
  await truncateAllTables(dataSource);
  const processes = await startApiProcesses(options.size, env).catch(async (error: unknown) => {
    await callbackApp.close();
    await sandbox.close();
    await dataSource.destroy();
    throw error;
  });
  callbackApp.routeTo(processes[0].url);
  return {
    processes,
    sandbox,
    controls,
    callbackUrl,
    dataSource,
    cipher: new TokenCipherService(config.crypto),
    queuePrefix,
    spawn: (name) => startApiProcess(name, env),
    routeCallbacksTo: (target) => callbackApp.routeTo(target.url),
    close: async () => {
      await stopAll();
      await callbackApp.close();
      await sandbox.close();
      await dataSource.destroy();
      await rm(mailDir, { recursive: true, force: true });
    },
  };
}

/** Registers and signs in a new user through `apiUrl` (the cluster's processes skip email verification). */
export async function signUp(apiUrl: string): Promise<Record<string, string>> {
  const auth = new AuthApi(apiUrl);
  const email = uniqueEmail('cluster');
  const password = newPassword();
  const registered = await auth.register({ email, password, name: 'Cluster User' });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
  const login = await auth.login(email, password);
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  return bearer((login.body as TokenBody).access_token);
}
