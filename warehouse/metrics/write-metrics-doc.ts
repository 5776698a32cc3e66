/**
 * `npm run docs:metrics`: writes docs/metrics.md from the metric catalogue.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderMetricsDoc } from './metrics-doc.ts';

export const METRICS_DOC_FILE = fileURLToPath(new URL('../../docs/metrics.md', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(METRICS_DOC_FILE, renderMetricsDoc());
  console.log(`wrote ${METRICS_DOC_FILE}`);
}
