/**
 * Command-line switches for Debian's Chromium in the browser tests and the web benchmark.
 *
 * Besides the usual headless switches, two browser features are turned off:
 * `PreloadTopChromeWebUI` and `WebUIOmniboxPopup`. With them, every new window (every
 * browser context: each cold load of the web benchmark) starts a renderer for the
 * browser's own address-bar popup, which used ~3 s of CPU on these two cores during a
 * 2-3 s page load (Chromium 156, measured with a trace, bench/RESULTS.md). A person's
 * browser pays that once when it starts, not for each page of our app.
 *
 * Chromium keeps only the last `--disable-features` switch, and playwright-core passes its
 * own list first; so ours carries playwright's list too, read from the installed
 * playwright-core (it does not export it). If that list cannot be found, this throws
 * rather than silently dropping playwright's choices.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const BROWSER_UI_FEATURES_OFF = ['PreloadTopChromeWebUI', 'WebUIOmniboxPopup'] as const;

const BASE_SWITCHES = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The features playwright-core disables by default (its `disabledFeatures` list). */
export function playwrightDisabledFeatures(): string[] {
  const root = dirname(createRequire(import.meta.url).resolve('playwright-core/package.json'));
  const bundle = readFileSync(join(root, 'lib', 'coreBundle.js'), 'utf8');
  const list = /disabledFeatures = \[([\s\S]*?)\](?:\.filter\(Boolean\))?;/.exec(bundle);
  if (!list) throw new Error(`playwright-core ${root}: no 'disabledFeatures = [...]' in lib/coreBundle.js; update tests/web/chromium-args.ts`);
  const names = [...list[1].replace(/\/\/[^\n]*/g, '').matchAll(/"([A-Za-z0-9_]+)"/g)].map((m) => m[1]);
  if (names.length < 5) throw new Error(`playwright-core: only ${names.length} default disabled features found; update tests/web/chromium-args.ts`);
  return names;
}

export function chromiumArgs(): string[] {
  const features = [...new Set([...playwrightDisabledFeatures(), ...BROWSER_UI_FEATURES_OFF])];
  return [...BASE_SWITCHES, `--disable-features=${features.join(',')}`];
}
