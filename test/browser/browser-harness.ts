import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestSocket } from '../support/ws-client.js';

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

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** One axe-core finding, as much of it as a failure message needs. */
export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.x A/AA and best practices) inside the page and returns the serious
 * and critical violations.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SOURCE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<AxeResults> } }).axe;
    interface AxeResults {
      violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>;
    }
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** The page's width beyond the window (0 when nothing scrolls sideways). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(
    () => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth,
  );
}

/** Logs a browser context in with a session made over HTTP (no form round trip). */
export async function useSession(context: BrowserContext, baseUrl: string, token: string): Promise<void> {
  await context.addCookies([{ name: 'session_id', value: token, url: baseUrl, httpOnly: true }]);
}

/** The WCAG contrast ratio of two CSS colours (rgb()/rgba() as computed styles give them). */
export function contrastRatio(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The two screens every page spec runs on: a 1280×800 desktop and a 390×844 phone. */
export const DEVICES = [
  { device: 'desktop', viewport: { width: 1280, height: 800 }, phone: false },
  { device: 'phone', viewport: { width: 390, height: 844 }, phone: true },
] as const;

/** Set-up time on a loaded machine: a server, Chromium, users with Argon2id passwords. */
export const SETUP_MS = 90_000;

/** A browser context for one of `DEVICES`, with CSP bypassed so axe-core can be injected. */
export function deviceContext(
  browser: Browser,
  { viewport, phone }: (typeof DEVICES)[number],
): Promise<BrowserContext> {
  return browser.newContext({ viewport, isMobile: phone, hasTouch: phone, bypassCSP: true });
}

/** On a phone, opens the drawer (the sidebar) unless it is open. */
export async function openDrawer(page: Page, phone: boolean): Promise<void> {
  if (!phone || (await page.locator('#drawer-toggle').getAttribute('aria-expanded')) === 'true') return;
  await page.locator('#drawer-toggle').click();
  await page.waitForSelector('#drawer-toggle[aria-expanded="true"]');
}

/** Sends a message frame from a test socket and waits for its ack, waiting as told when rate-limited. */
export async function sendAndAwaitAck(
  socket: TestSocket,
  frame: Record<string, unknown>,
  clientId: string,
): Promise<void> {
  for (;;) {
    socket.send({ ...frame, client_id: clientId });
    const answer = await socket.next(
      (f) => (f.type === 'ack' && f.client_id === clientId) || (f.type === 'error' && f.ref === clientId),
    );
    if (answer.type === 'ack') return;
    if (answer.type !== 'error' || answer.code !== 'rate_limited')
      throw new Error(`refused: ${JSON.stringify(answer)}`);
    await new Promise((resolve) => setTimeout(resolve, answer.retry_after_ms ?? 100));
  }
}

/**
 * The visible controls matching `selector` (not inert, not hidden) smaller than a 44 × 44 px
 * touch target, as `name: w×h` (name: the id, else the text).
 */
export function undersizedControls(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (nodes) =>
    nodes
      .filter(
        (n) => n.getClientRects().length > 0 && !n.closest('[inert]') && getComputedStyle(n).visibility !== 'hidden',
      )
      .map((n) => ({ name: n.id || n.textContent?.trim(), box: n.getBoundingClientRect() }))
      .filter(({ box }) => box.height < 44 || box.width < 44)
      .map(({ name, box }) => `${name}: ${Math.round(box.width)}×${Math.round(box.height)}`),
  );
}

/**
 * Presses Tab `presses` times from the element `from`, then names the visible, enabled controls
 * matching `selector` that focus never reached (name: the id, else the text); empty when
 * every one was reached by keyboard alone.
 */
export async function controlsNotReachedByTab(
  page: Page,
  { from, selector, presses = 40 }: { from: string; selector: string; presses?: number },
): Promise<string[]> {
  await page.locator(from).focus();
  const reached = new Set<string>();
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    reached.add(
      await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim() || ''),
    );
  }
  const visible = await page.$$eval(selector, (nodes) =>
    nodes
      .filter((n) => n.getClientRects().length > 0 && !n.closest('[inert]') && !(n as HTMLButtonElement).disabled)
      .map((n) => n.id || n.textContent?.trim() || ''),
  );
  return visible.filter((name) => !reached.has(name));
}
