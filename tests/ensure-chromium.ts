/**
 * Run by `npm test` before the suite: the browser tests need Debian's Chromium at
 * /usr/bin/chromium, and the briefing PDF tests need poppler-utils' pdftotext at
 * /usr/bin/pdftotext, and Chinese text needs a CJK font: without one Chromium prints the briefing
 * PDF with fallback glyphs that pdftotext cannot read back (a fresh machine has none). When one is missing, install it if we are root (these machines run
 * as root), otherwise stop with the exact command to run. Never skip silently.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';
export const PDFTOTEXT = '/usr/bin/pdftotext';
export const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

const NEEDED: readonly { readonly file: string; readonly pkg: string; readonly why: string }[] = [
  { file: CHROMIUM, pkg: 'chromium', why: "The browser tests need Debian's Chromium" },
  { file: PDFTOTEXT, pkg: 'poppler-utils', why: "The briefing PDF tests need pdftotext (Debian's poppler-utils)" },
  { file: CJK_FONT, pkg: 'fonts-noto-cjk', why: "Pages and PDFs in Chinese need a CJK font (Debian's fonts-noto-cjk)" },
];

const missing = NEEDED.filter((n) => !existsSync(n.file));
if (missing.length > 0) {
  const install = `apt-get update && apt-get install -y ${missing.map((m) => m.pkg).join(' ')}`;
  if (process.getuid?.() !== 0) {
    for (const m of missing) console.error(`${m.why} at ${m.file}.`);
    console.error(`Install with:\n  sudo sh -c '${install}'\nthen run npm test again.`);
    process.exit(1);
  }
  console.log(`Missing ${missing.map((m) => m.file).join(', ')}: installing (${install}) …`);
  const r = spawnSync('sh', ['-c', install], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  const still = missing.filter((m) => !existsSync(m.file));
  if (r.status !== 0 || still.length > 0) {
    console.error(`Installing ${still.map((m) => m.pkg).join(' ') || 'the packages'} failed. Run as root:\n  ${install}`);
    process.exit(1);
  }
}
