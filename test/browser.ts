import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, headless, with no call home (the machine's network is closed): never a browser download. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });

/** Logs the page in to the dashboard with the token and waits for the overview. */
export async function logIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(`${url}/admin/login`);
  await page.fill('input[name=token]', token);
  await page.click('button');
  await page.waitForURL(`${url}/admin`);
}

/** Runs a step; on failure keeps a screenshot in test-results/ for the reader of the CI log. */
export async function screenshotOnFailure(page: Page, name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: `test-results/${name}.png`, fullPage: true }).catch(() => undefined);
    throw err;
  }
}
