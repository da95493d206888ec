import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAndLogin, uniqueNickname, type TestUser } from '../support/http-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';
import {
  buildClientBundle,
  contrastRatio,
  controlsNotReachedByTab,
  deviceContext,
  DEVICES,
  openDrawer as openDrawerOn,
  sendAndAwaitAck,
  SETUP_MS,
  horizontalOverflow,
  launchChromium,
  recordSentFrames,
  screenshot,
  seriousAxeViolations,
  texts,
  undersizedControls,
  useSession,
  waitForCount,
} from './browser-harness.js';

beforeAll(() => buildClientBundle(), SETUP_MS);

/** Sends a public message, or a private one with `to`, from a test socket and waits for its ack. */
function post(socket: TestSocket, content: string, clientId: string, to?: number): Promise<void> {
  return sendAndAwaitAck(
    socket,
    to ? { type: 'private_message', to, content } : { type: 'chat_message', content },
    clientId,
  );
}

/**
 * The chat page as a forum member meets it, on a 1280×800 desktop and a 390×844 phone, in
 * headless Chromium against a real server: it fits the screen (down to 320 px), every main
 * state passes axe-core without serious or critical violations, and each defect found by
 * hand stays fixed. Screenshots of each state go to `test-artifacts/<device>-*.png`.
 */
describe.each(DEVICES)('the chat page on a $device', (screen) => {
  const { device, viewport, phone } = screen;
  let server: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let sent: Array<{ type: string; [key: string]: unknown }>;
  let ann: TestUser;
  let ben: TestUser;
  let benSocket: TestSocket;
  const failedResponses: string[] = [];
  const pageErrors: string[] = [];
  const shot = (name: string) => screenshot(page, `${device}-${name}`);

  async function expectAccessible(state: string): Promise<void> {
    const violations = await seriousAxeViolations(page);
    expect(violations, `axe on ${device} / ${state}`).toEqual([]);
  }

  async function expectFits(): Promise<void> {
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  }

  /** On a phone the account controls live in the drawer: opens it. */
  const openDrawer = () => openDrawerOn(page, phone);

  beforeAll(async () => {
    server = await startTestApp();
    browser = await launchChromium();
    ann = await registerAndLogin(server.baseUrl, uniqueNickname('ann'));
    ben = await registerAndLogin(server.baseUrl, uniqueNickname('ben'));
    context = await deviceContext(browser, screen);
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    sent = recordSentFrames(page);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/api/auth/me')) failedResponses.push(`${r.status()} ${r.url()}`);
    });
  }, SETUP_MS);

  afterAll(async () => {
    await benSocket?.close();
    await browser?.close();
    await server?.close();
  });

  it('login page: fits, passes axe, and every request succeeds (the favicon too)', async () => {
    await page.goto(server.baseUrl);
    await page.locator('#auth-view').waitFor();
    await expectFits();
    await expectAccessible('login');
    await shot('01-login');
    const favicon = await page.evaluate(async () => {
      const r = await fetch('/favicon.ico');
      return { status: r.status, type: r.headers.get('content-type') };
    });
    expect(favicon).toMatchObject({ status: 200, type: expect.stringMatching(/^image\//) });
    expect(failedResponses).toEqual([]);
  });

  it('the chat fits the screen down to 320 px, with touch-sized controls on a phone', async () => {
    benSocket = await TestSocket.connect(server.wsUrl, ben.cookie);
    for (let i = 1; i <= 12; i++) await post(benSocket, `earlier ${i}`, `early-${i}`);
    await useSession(context, server.baseUrl, ann.token);
    await page.goto(server.baseUrl);
    await page.waitForSelector('#connection-state[data-state="open"]');
    await page.waitForSelector(`#online-list li[data-user-id="${ben.id}"]`, { state: 'attached' });
    await waitForCount(page, '#message-list li[data-id]', 10);
    await expectFits();
    if (phone) {
      for (const width of [360, 320]) {
        await page.setViewportSize({ width, height: viewport.height });
        expect(await horizontalOverflow(page), `at ${width} px`).toBeLessThanOrEqual(0);
      }
      await page.setViewportSize(viewport);
      const small = await undersizedControls(page, 'button, textarea, input, a:not(.content a)');
      expect(small).toEqual([]);
    }
    await expectAccessible('public room');
    await shot('02-public-room');
  });

  it('on a phone the sidebar is a drawer; Log out is on screen and takes the tap', async () => {
    const sidebar = page.locator('#sidebar');
    if (!phone) {
      expect(await page.locator('#drawer-toggle').isVisible()).toBe(false);
      expect(await sidebar.isVisible()).toBe(true);
    } else {
      expect(await sidebar.evaluate((el) => (el as HTMLElement).inert)).toBe(true);
      await openDrawer();
      expect(await sidebar.evaluate((el) => (el as HTMLElement).inert)).toBe(false);
      expect(await page.evaluate(() => document.activeElement?.closest('#sidebar') !== null)).toBe(true);
      await page.waitForFunction(() => getComputedStyle(document.getElementById('sidebar')!).transform === 'none');
      await expectAccessible('drawer open');
      await shot('03-drawer-open');
    }
    const logout = await page.locator('#logout').boundingBox();
    expect(logout).not.toBeNull();
    const { x, y, width, height } = logout!;
    expect(x >= 0 && y >= 0 && x + width <= viewport.width && y + height <= viewport.height).toBe(true);
    const hit = await page.evaluate(
      ([px, py]) => document.elementFromPoint(px, py)?.id,
      [x + width / 2, y + height / 2],
    );
    expect(hit).toBe('logout');
    if (phone) {
      await page.keyboard.press('Escape');
      await page.waitForSelector('#drawer-toggle[aria-expanded="false"]');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('drawer-toggle');
    }
  });

  it('groups one author, separates days, links http(s) only, marks mentions, and lets RTL text run right to left', async () => {
    await post(benSocket, 'see https://example.com/a?b=1 and javascript:alert(1) or www.example.com', 'link-1');
    await post(benSocket, 'שלום עולם, מה שלומך?', 'rtl-1');
    await post(benSocket, `@${ann.nickname} look at this`, 'mention-1');
    await waitForCount(page, '#message-list li[data-id]', 13);
    expect(await texts(page, '#message-list li.day')).toEqual(['Today']);
    const grouped = await page.$$eval('#message-list li[data-id]', (items) =>
      items.map((li) => li.classList.contains('continued')),
    );
    expect(grouped).toEqual([false, ...Array(12).fill(true)]);
    const links = await page.$$eval('#message-list a', (as) =>
      as.map((a) => [a.getAttribute('href'), a.getAttribute('rel')]),
    );
    expect(links).toEqual([['https://example.com/a?b=1', 'noopener noreferrer nofollow']]);
    const rtl = page.locator('#message-list .content', { hasText: 'שלום' });
    expect(await rtl.getAttribute('dir')).toBe('auto');
    expect(await rtl.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await page.locator('#message-list li.mentioned .mention.me').textContent()).toBe(`@${ann.nickname}`);
    await expectAccessible('grouped messages');
    await shot('04-links-rtl-mentions');
  });

  it('Load earlier messages sits in full view; Shift+Tab from the message box keeps focus and loads nothing', async () => {
    const button = page.locator('#load-earlier');
    await button.waitFor();
    const box = (await button.boundingBox())!;
    const header = (await page.locator('.room-header').boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(header.y + header.height);
    const hit = await page.evaluate(
      ([px, py]) => document.elementFromPoint(px, py)?.id,
      [box.x + box.width / 2, box.y + box.height / 2],
    );
    expect(hit).toBe('load-earlier');

    const historyBefore = sent.filter((f) => f.type === 'history').length;
    await page.locator('#message-input').focus();
    await page.keyboard.press('Shift+Tab');
    // the previous stop is in the messages (the newest link, or the message log itself), never <body>
    expect(await page.evaluate(() => document.activeElement?.closest('#message-scroller') !== null)).toBe(true);
    // a sentinel: a message sent after the focus change is acked before we look
    await page.keyboard.press('Tab');
    await page.keyboard.type('after shift-tab');
    await page.keyboard.press('Enter');
    await waitForCount(page, '#message-list li.pending', 0);
    await page.waitForFunction(
      () => document.querySelector('#message-list li[data-id]:last-child .content')?.textContent === 'after shift-tab',
    );
    expect(sent.filter((f) => f.type === 'history').length).toBe(historyBefore);
  });

  it('every control is reachable by keyboard alone', async () => {
    const missed = await controlsNotReachedByTab(page, {
      from: '#message-input',
      selector: '#chat-view button, #chat-view textarea',
    });
    expect(missed).toEqual([]);
  });

  it('never cuts long text: says how much is too long, and counts an emoji as one character', async () => {
    const input = page.locator('#message-input');
    await input.fill('a'.repeat(2_100));
    expect((await input.inputValue()).length).toBe(2_100);
    expect(await page.locator('#composer-count').textContent()).toBe('100 characters too long (at most 2000).');
    await input.press('Enter');
    expect(await input.inputValue()).toHaveLength(2_100);
    expect(await page.locator('#message-list li.pending').count()).toBe(0);
    await expectAccessible('text too long');
    await shot('05-too-long');

    const emoji = '😀'.repeat(1_500); // 3,000 UTF-16 units, 1,500 characters
    await input.fill(emoji);
    expect(await page.locator('#composer-count').textContent()).toBe('');
    await input.press('Enter');
    await page.waitForFunction(
      (text) => document.querySelector('#message-list li[data-id]:last-child .content')?.textContent === text,
      emoji,
    );
  });

  it('counts unread: badges, the tab title, and "new messages" when scrolled up', async () => {
    await post(benSocket, 'are you there?', 'pm-1', ann.id);
    await post(benSocket, 'second one', 'pm-2', ann.id);
    const badge = `#conversation-list button[data-user-id="${ben.id}"] .badge`;
    await page.waitForFunction((sel) => document.querySelector(sel)?.firstChild?.textContent === '2', badge);
    expect(await page.title()).toBe('(2) Forum chat');
    if (phone) await openDrawer();
    await page.locator(`#conversation-list button[data-user-id="${ben.id}"]`).click();
    await waitForCount(page, '#message-list li[data-id]', 2);
    expect(await texts(page, '#message-list li.unread-line')).toEqual(['New']);
    expect(await page.title()).toBe('Forum chat');

    await page.locator('#public-room-button').evaluate((b) => (b as HTMLButtonElement).click());
    await page.waitForFunction(() => document.querySelector('#room-title')?.textContent === '# Public room');
    await page.locator('#message-scroller').evaluate((s) => (s.scrollTop = 0));
    await page.waitForFunction(() => true); // one task, for the scroll event
    await post(benSocket, 'while you read old ones', 'late-1');
    await page.locator('#new-messages').waitFor();
    expect(await page.locator('#new-messages').textContent()).toBe('1 new message ↓');
    expect(await page.title()).toBe('(1) Forum chat');
    await expectAccessible('new messages');
    await shot('06-new-messages');
    await page.locator('#new-messages').click();
    await page.locator('#new-messages').waitFor({ state: 'hidden' });
    expect(await page.title()).toBe('Forum chat');
  });

  it('shows what arrived while away as unread on return, on the menu button too on a phone', async () => {
    await page.goto('about:blank'); // away: what arrives now is unread in the server's read state
    await post(benSocket, 'while you were away', 'away-1', ann.id);
    await post(benSocket, 'and this too', 'away-2', ann.id);
    await page.goto(server.baseUrl);
    await page.waitForSelector('#connection-state[data-state="open"]');
    const badge = `#conversation-list button[data-user-id="${ben.id}"] .badge`;
    await page.waitForFunction((sel) => document.querySelector(sel)?.firstChild?.textContent === '2', badge);
    expect(await page.title()).toBe('(2) Forum chat');
    if (phone) {
      expect(await page.locator('#drawer-unread').textContent()).toBe('2');
      expect(await page.locator('#drawer-toggle').getAttribute('aria-label')).toBe('Rooms and people, 2 unread');
    }
    await expectAccessible('unread after a visit');
    await shot('07-unread-after-visit');
  });

  it('shows an edit and a deletion in place, readable and accessible', async () => {
    /** Sends an edit or a deletion from ben's socket and waits for its echo, waiting as told when rate-limited. */
    const change = async (frame: { type: 'edit_message' | 'delete_message'; id: number; content?: string }) => {
      const echo = frame.type === 'edit_message' ? 'message_edited' : 'message_deleted';
      for (;;) {
        benSocket.send(frame);
        const answer = await benSocket.next(
          (f) => (f.type === echo && f.id === frame.id) || (f.type === 'error' && f.ref === frame.type),
        );
        if (answer.type === echo) return;
        if (answer.type !== 'error' || answer.code !== 'rate_limited') throw new Error(JSON.stringify(answer));
        await new Promise((resolve) => setTimeout(resolve, answer.retry_after_ms ?? 100));
      }
    };
    await post(benSocket, 'a first draft', 'draft-1');
    const draft = page.locator('#message-list li[data-id]', {
      has: page.locator('.content', { hasText: 'a first draft' }),
    });
    await draft.waitFor();
    const id = Number(await draft.getAttribute('data-id'));
    const item = `#message-list li[data-id="${id}"]`;

    await change({ type: 'edit_message', id, content: 'a second thought' });
    await page.waitForSelector(`${item} .content:text-is("a second thought")`);
    expect(await page.locator(`${item} .edited`).textContent()).toBe('(edited)');
    await expectAccessible('edited message');

    await change({ type: 'delete_message', id });
    await page.waitForSelector(`${item}.deleted`);
    expect(await page.locator(`${item} .content`).textContent()).toBe('This message was deleted.');
    const tombstone = await page.locator(`${item} .content`).evaluate((el) => ({
      ink: getComputedStyle(el).color,
      paper: getComputedStyle(el.closest('li')!).backgroundColor,
    }));
    expect(contrastRatio(tombstone.ink, tombstone.paper)).toBeGreaterThanOrEqual(4.5);
    await expectFits();
    await expectAccessible('deleted message');
    await shot('07b-edited-and-deleted');
  });

  it('meets contrast for borders and the offline dot, and logs out with a readable note', async () => {
    const field = await page.locator('#message-input').evaluate((el) => {
      const own = getComputedStyle(el);
      const around = getComputedStyle(el.closest('.composer')!);
      return { border: own.borderTopColor, inside: own.backgroundColor, outside: around.backgroundColor };
    });
    expect(contrastRatio(field.border, field.inside)).toBeGreaterThanOrEqual(3);
    expect(contrastRatio(field.border, field.outside)).toBeGreaterThanOrEqual(3);
    await benSocket.close();
    await page.waitForSelector(`#conversation-list button[data-user-id="${ben.id}"] .dot:not(.online)`, {
      state: 'attached',
    });
    const dot = await page.locator(`#conversation-list button[data-user-id="${ben.id}"] .dot`).evaluate((el) => ({
      ring: getComputedStyle(el).borderTopColor,
      panel: getComputedStyle(el.closest('.sidebar')!).backgroundColor,
    }));
    expect(contrastRatio(dot.ring, dot.panel)).toBeGreaterThanOrEqual(3);

    await openDrawer();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.locator('#auth-view').waitFor();
    expect(await page.locator('#auth-note').textContent()).toBe('You have logged out.');
    await expectFits();
    await expectAccessible('logged out');
    await shot('08-logged-out');
    expect(pageErrors).toEqual([]);
  });
});
