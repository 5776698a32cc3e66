/**
 * The Fastify application: external plugins, then the app's own plugins (services),
 * then the API routes, then the built web app. One process, one port.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import compress from '@fastify/compress';
import { constants as zlib } from 'node:zlib';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import errors from './plugins/errors.ts';
import warehouse from './plugins/warehouse.ts';
import state, { type StatePluginOptions } from './plugins/state.ts';
import auth from './plugins/auth.ts';
import securityHeaders from './plugins/security-headers.ts';
import authRoutes from './routes/api/auth/index.ts';
import usersRoutes from './routes/api/users/index.ts';
import auditRoutes from './routes/api/audit/index.ts';
import personsRoutes from './routes/api/persons/index.ts';
import health from './routes/api/health/index.ts';
import regions from './routes/api/regions/index.ts';
import metricsRoutes from './routes/api/metrics/index.ts';
import exploreRoutes from './routes/api/explore/index.ts';
import festivalRoutes from './routes/api/festival/index.ts';
import refreshRoutes from './routes/api/refresh/index.ts';
import qualityRoutes from './routes/api/quality/index.ts';
import geoRoutes from './routes/api/geo/index.ts';
import alertRoutes from './routes/api/alerts/index.ts';
import dataQualityRoutes from './routes/api/data-quality/index.ts';
import samplingRoutes from './routes/api/sampling/index.ts';
import briefingRoutes from './routes/api/briefings/index.ts';

export const WEB_BUILD_DIR = fileURLToPath(new URL('../web/build', import.meta.url));

export interface AppOptions {
  readonly dataDir: string;
  /** Folder of the built web app; served at / when it exists. */
  readonly webDir?: string;
  readonly logger?: FastifyServerOptions['logger'];
  /** Poll interval for a newly published warehouse (ms); 0 = tests trigger swaps themselves. */
  readonly watchIntervalMs?: number;
  readonly maxConcurrentQueries?: number;
  readonly queryTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** Session/throttle policies and clock, for tests. */
  readonly sessionPolicy?: StatePluginOptions['sessionPolicy'];
  readonly throttlePolicy?: StatePluginOptions['throttlePolicy'];
  readonly now?: () => number;
  /** Trust X-Forwarded-* from a reverse proxy (for Secure cookies behind TLS termination). */
  readonly trustProxy?: boolean;
  /** Compress answers and send precompressed web files (default true). */
  readonly compress?: boolean;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    requestTimeout: options.requestTimeoutMs ?? 60_000,
    return503OnClosing: true,
    trustProxy: options.trustProxy ?? false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: false, allowUnionTypes: true } },
  });

  await app.register(swagger, {
    openapi: {
      info: { title: '农村劳动力实名制信息监测预警平台 API', description: 'Sichuan rural labour real-name registry: monitoring and early-warning API', version: '0.1.0' },
      tags: [{ name: 'system' }, { name: 'auth' }, { name: 'admin' }, { name: 'regions' }, { name: 'metrics' }],
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'rlm_session' } } },
      security: [{ session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  // Answers of 1 KB or more are compressed when the client accepts it (the county
  // boundaries are 577 KB of JSON). Brotli at quality 4 costs about what gzip does;
  // the default (11) is meant for files compressed once. The web app's files are
  // compressed at build time (svelte.config.js precompress) and sent as they are.
  const compressing = options.compress ?? true;
  if (compressing) await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 6 },
  });

  const webDir = options.webDir ?? WEB_BUILD_DIR;
  await app.register(errors);
  await app.register(securityHeaders, { webDir });
  await app.register(state, { dataDir: options.dataDir, sessionPolicy: options.sessionPolicy, throttlePolicy: options.throttlePolicy, now: options.now });
  await app.register(auth);
  await app.register(warehouse, {
    dataDir: options.dataDir,
    watchIntervalMs: options.watchIntervalMs,
    maxConcurrent: options.maxConcurrentQueries,
    timeoutMs: options.queryTimeoutMs,
  });

  await app.register(health);
  await app.register(authRoutes);
  await app.register(usersRoutes);
  await app.register(auditRoutes);
  await app.register(personsRoutes, { dataDir: options.dataDir, now: options.now });
  await app.register(regions);
  await app.register(metricsRoutes);
  await app.register(exploreRoutes);
  await app.register(festivalRoutes);
  await app.register(refreshRoutes);
  await app.register(qualityRoutes);
  await app.register(geoRoutes);
  await app.register(alertRoutes, { dataDir: options.dataDir, now: options.now });
  await app.register(dataQualityRoutes, { dataDir: options.dataDir });
  await app.register(samplingRoutes, { dataDir: options.dataDir });
  await app.register(briefingRoutes, { webDir, now: options.now });

  const hasWeb = existsSync(webDir);
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: ['index.html'],
      preCompressed: compressing,
      cacheControl: false,
      // file names under _app/immutable carry a content hash: cache them for good; the
      // page itself must be revalidated so that a new build is picked up at once
      setHeaders: (res, path) => {
        res.setHeader('cache-control', /[\\/]_app[\\/]immutable[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  // Client-side routes fall back to the SPA page; unknown /api paths are JSON 404s.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    if (hasWeb && request.method === 'GET' && !path.startsWith('/api/') && path !== '/api') return reply.sendFile('index.html');
    return reply.status(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${path}` } });
  });
  return app;
}
