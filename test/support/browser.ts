import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium; CI installs it (.ci/run). Never a downloaded browser. */
export const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable) {
  if (process.env.CI === 'true')
    throw new Error(`${CHROMIUM} is missing: .ci/run must install chromium`);
  console.warn(
    `!!! ${CHROMIUM} not found: SKIPPING the browser tests (apt-get install -y chromium) !!!`,
  );
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
