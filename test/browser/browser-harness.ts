import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Where screenshots go (ignored by git). */
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/** Debian's Chromium; `.ci/run` installs it when missing. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Compiles the typed client into `public/lib/` so the page can load it (what `npm run build` does). */
export function buildClientBundle(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.client.json'], { cwd: ROOT, stdio: 'inherit' });
}

/** Starts headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** Saves a full-window screenshot as `test-artifacts/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}${name}.png` });
}

/** Records the JSON frames a page sends on its WebSockets. */
export function recordSentFrames(page: Page): Array<{ type: string; [key: string]: unknown }> {
  const frames: Array<{ type: string }> = [];
  page.on('websocket', (ws) => {
    ws.on('framesent', ({ payload }) => {
      if (typeof payload === 'string') frames.push(JSON.parse(payload));
    });
  });
  return frames;
}

/** Waits until `selector` matches exactly `count` elements. */
export async function waitForCount(page: Page, selector: string, count: number, timeout = 10_000): Promise<void> {
  try {
    await page.waitForFunction(
      ([sel, n]) => document.querySelectorAll(sel as string).length === n,
      [selector, count] as const,
      { timeout },
    );
  } catch (error) {
    const found = await page.locator(selector).count();
    throw new Error(`expected ${count} × ${selector}, found ${found}`, { cause: error });
  }
}

/** The trimmed `textContent` of every element matching `selector`. */
export function texts(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (nodes) => nodes.map((n) => (n.textContent ?? '').trim()));
}
