import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * The web app lives in web/ (the design card fixes the top level). It is built to
 * static files (web/build) with a fallback page and served by the engine's Fastify
 * process; in development Vite proxies /api to the engine (see vite.config.ts).
 * precompress writes .br and .gz next to every file; the engine sends those as they are.
 * One script for the whole app (bundleStrategy 'single'): the SPA fallback page would
 * otherwise load 32 scripts in a chain before the first API request (docs/web.md).
 * @type {import('@sveltejs/kit').Config}
 */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ pages: 'web/build', assets: 'web/build', fallback: 'index.html', precompress: true, strict: true }),
    output: { bundleStrategy: 'single' },
    files: {
      src: 'web/src',
      assets: 'web/static',
    },
    typescript: {
      config: (tsconfig) => ({ ...tsconfig, include: ['../web/src/**/*.ts', '../web/src/**/*.svelte', '../web/src/**/*.js'] }),
    },
  },
};

export default config;
