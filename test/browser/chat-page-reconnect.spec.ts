import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAndLogin, uniqueNickname, type TestUser } from '../support/http-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';
import {
  buildClientBundle,
  deviceContext,
  DEVICES,
  launchChromium,
  screenshot,
  seriousAxeViolations,
  SETUP_MS,
  useSession,
} from './browser-harness.js';

beforeAll(() => buildClientBundle(), SETUP_MS);

/**
 * Reconnecting without waiting out the backoff: the page's clock is frozen once it is
 * connected, so a reconnect timer can never fire by itself; only "Reconnect now", the
 * `online` event or the tab becoming visible bring the connection back. Meanwhile the online
 * list says it is the last known one.
 */
describe.each(DEVICES)('reconnecting on a $device', (screen) => {
  const { device, phone } = screen;
  let server: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let ann: TestUser;
  let other: TestSocket;
  const routes: WebSocketRoute[] = [];

  /** Drops the page's socket and waits until the page says it is reconnecting. */
  async function drop(): Promise<void> {
    await routes.at(-1)!.close({ code: 4000, reason: 'network drop' });
    await page.waitForSelector('#connection-state[data-state="reconnecting"]');
  }

  async function reconnected(): Promise<void> {
    await page.waitForSelector('#connection-state[data-state="open"]');
    await page.locator('#online-stale').waitFor({ state: 'hidden' });
  }

  beforeAll(async () => {
    server = await startTestApp();
    browser = await launchChromium();
    ann = await registerAndLogin(server.baseUrl, uniqueNickname('ann'));
    const bob = await registerAndLogin(server.baseUrl, uniqueNickname('bob'));
    other = await TestSocket.connect(server.wsUrl, bob.cookie);
    context = await deviceContext(browser, screen);
    context.setDefaultTimeout(10_000);
    await useSession(context, server.baseUrl, ann.token);
    page = await context.newPage();
    await page.routeWebSocket(/\/ws(\?|$)/, (ws) => {
      routes.push(ws);
      ws.connectToServer();
    });
    await page.clock.install();
    await page.goto(server.baseUrl);
    await page.waitForSelector('#connection-state[data-state="open"]');
    await page.waitForSelector(`#online-list li[data-user-id="${bob.id}"]`, { state: 'attached' });
    await page.clock.pauseAt(Date.now() + 1_000);
  }, SETUP_MS);

  afterAll(async () => {
    await other?.close();
    await browser?.close();
    await server?.close();
  });

  it('"Reconnect now" connects at once, and the online list says it is stale meanwhile', async () => {
    await drop();
    await page.locator('#reconnect-now').waitFor();
    expect(await page.locator('#online-list').getAttribute('class')).toContain('stale');
    expect(await page.locator('#online-stale').textContent()).toBe('Last known list: not updated while disconnected.');
    await page.getByRole('button', { name: 'Reconnect now' }).click();
    await reconnected();
  });

  it('the reconnecting state passes axe, with the stale online list in view', async () => {
    // axe and screenshots need timers: let the clock run, and hold any attempt at its session check
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/auth/me', async (route) => {
      await gate;
      await route.continue();
    });
    await drop();
    await page.clock.resume();
    if (phone) {
      await page.getByRole('button', { name: 'Rooms and people' }).click();
      await page.waitForFunction(() => getComputedStyle(document.getElementById('sidebar')!).transform === 'none');
      expect(await page.locator('#online-stale').isVisible()).toBe(true);
      await screenshot(page, `${device}-07-reconnecting-drawer`);
      await page.keyboard.press('Escape');
    }
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, `${device}-07-reconnecting`);
    release();
    await page.unrouteAll({ behavior: 'wait' });
    await reconnected();
    await page.clock.pauseAt(Date.now() + 1_000);
  });

  it('the online event and the tab becoming visible reconnect at once', async () => {
    await drop();
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await reconnected();

    await drop();
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await reconnected();
  });
});
