/** The Chromium switches of the browser tests and the web benchmark keep playwright's disabled features. */
import { describe, expect, test } from 'vitest';
import { BROWSER_UI_FEATURES_OFF, chromiumArgs, playwrightDisabledFeatures } from './chromium-args.ts';

describe('chromiumArgs', () => {
  test("one --disable-features switch with playwright-core's list and the browser-UI preloads", () => {
    const fromPlaywright = playwrightDisabledFeatures();
    // names playwright-core has disabled for years (its chromiumSwitches.ts)
    expect(fromPlaywright).toEqual(expect.arrayContaining(['DestroyProfileOnBrowserClose', 'MediaRouter']));
    expect(fromPlaywright.every((f) => /^[A-Za-z0-9_]+$/.test(f))).toBe(true);
    const args = chromiumArgs();
    const disable = args.filter((a) => a.startsWith('--disable-features='));
    expect(disable).toHaveLength(1);
    const features = disable[0].slice('--disable-features='.length).split(',');
    expect(features).toEqual(expect.arrayContaining([...fromPlaywright, ...BROWSER_UI_FEATURES_OFF]));
    expect(new Set(features).size).toBe(features.length);
    expect(args).toContain('--headless');
  });
});
