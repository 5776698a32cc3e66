/**
 * Starts the HTTP server: the app, the nightly refresh schedule, graceful shutdown.
 */
import { buildApp } from './app.ts';
import type { ServerConfig } from './config.ts';
import { RefreshRunner } from './services/refresh-runner.ts';
import { AlertScheduler } from './services/alert-scheduler.ts';

export interface StartOptions {
  readonly mode: 'production' | 'demo';
  /** Printed after the server listens (the demo prints its logins). */
  readonly banner?: string[];
}

export async function startServer(config: ServerConfig, options: StartOptions) {
  const app = await buildApp({
    dataDir: config.dataDir,
    compress: config.compress,
    logger: { level: process.env.LOG_LEVEL ?? 'info', transport: undefined },
  });
  const alertScheduler = new AlertScheduler(app, (msg) => app.log.info(msg));
  const refresher = new RefreshRunner(
    config.dataDir,
    async (outcome) => {
      await app.warehouse.checkForNewVersion();
      if (outcome.exitCode === 0) await alertScheduler.afterRefresh();
    },
    (msg) => app.log.info(msg),
  );
  refresher.schedule(config.refreshCron);
  alertScheduler.schedule();
  app.decorate('refresher', refresher);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    await refresher.stop();
    await alertScheduler.stop();
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  const lines = [
    '',
    `  农村劳动力实名制信息监测预警平台 — ${options.mode === 'demo' ? 'demo' : 'serving'} at ${url}`,
    `  data folder: ${config.dataDir}`,
    `  warehouse:   ${app.warehouse.info()?.version ?? '(none published yet: run npm run refresh)'}`,
    `  API docs:    ${url}/api/docs`,
    ...(options.banner ?? []),
    '',
  ];
  console.log(lines.join('\n'));
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    refresher: RefreshRunner;
  }
}
