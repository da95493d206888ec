import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, registerAndLogin, uniqueNickname, type TestUser } from '../support/http-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';
import {
  buildClientBundle,
  launchChromium,
  recordSentFrames,
  screenshot,
  texts,
  waitForCount,
} from './browser-harness.js';

const PASSWORD = 'correct horse battery';
const VIEWPORT = { width: 1280, height: 800 };

/**
 * The chat page in headless Chromium against a real server: two browser contexts (two
 * users, separate cookie jars) go through registration, login, presence, the public
 * room, a private conversation, typing, scroll-back, a reload and a departure.
 */
describe('chat page in a real browser', () => {
  let server: TestApp;
  let browser: Browser;
  let aliceContext: BrowserContext;
  let bobContext: BrowserContext;
  let alicePage: Page;
  let bobPage: Page;
  let bobSent: Array<{ type: string; [key: string]: unknown }>;
  const aliceName = uniqueNickname('alice');
  let aliceId: number;
  let bob: { id: number; nickname: string };
  let carol: TestUser;
  const pageErrors: string[] = [];
  const aliceSockets: string[] = [];
  const aliceReceived: string[] = [];

  beforeAll(async () => {
    buildClientBundle();
    server = await startTestApp();
    browser = await launchChromium();
    const bobName = uniqueNickname('bob');
    const registered = await postJson(server.baseUrl, '/api/auth/register', { nickname: bobName, password: PASSWORD });
    bob = registered.body;
    carol = await registerAndLogin(server.baseUrl, uniqueNickname('carol'));
    aliceContext = await browser.newContext({ viewport: VIEWPORT });
    bobContext = await browser.newContext({ viewport: VIEWPORT });
    alicePage = await aliceContext.newPage();
    bobPage = await bobContext.newPage();
    bobSent = recordSentFrames(bobPage);
    alicePage.on('websocket', (ws) => {
      aliceSockets.push(ws.url());
      ws.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string') aliceReceived.push(JSON.parse(payload).type);
      });
    });
    for (const context of [aliceContext, bobContext]) context.setDefaultTimeout(10_000);
    for (const page of [alicePage, bobPage]) page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 90_000); // a server, Chromium and three password logins on a loaded machine

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('registers with the form, and logs in with the other form', async () => {
    await alicePage.goto(server.baseUrl);
    await alicePage.locator('#auth-view').waitFor();
    expect(await alicePage.locator('#login-name').evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshot(alicePage, '01-login-and-register');

    await alicePage.getByLabel('Nickname', { exact: true }).fill(aliceName);
    await alicePage.locator('#register-password').fill(PASSWORD);
    await alicePage.getByRole('button', { name: 'Create account' }).click();
    await alicePage.locator('#chat-view').waitFor();
    await alicePage.waitForSelector('#connection-state[data-state="open"]');
    expect(await alicePage.locator('#me-name').textContent()).toBe(aliceName);
    aliceId = (await alicePage.evaluate(() => fetch('/api/auth/me').then((r) => r.json()))).id;

    await bobPage.goto(server.baseUrl);
    await bobPage.getByLabel('Nickname or email').fill(bob.nickname);
    await bobPage.locator('#login-password').fill('wrong password');
    await bobPage.getByRole('button', { name: 'Log in' }).click();
    await bobPage.waitForFunction(() =>
      document.querySelector('#login-form [data-error]')?.textContent?.includes('Wrong'),
    );
    await bobPage.locator('#login-password').fill(PASSWORD);
    await bobPage.getByRole('button', { name: 'Log in' }).click();
    await bobPage.waitForSelector('#connection-state[data-state="open"]');
    expect(await bobPage.locator('#connection-state').textContent()).toBe('Connected');
    const cookies = await bobContext.cookies();
    expect(cookies.find((c) => c.name === 'session_id')).toMatchObject({ httpOnly: true });
  });

  it('each sees the other online', async () => {
    await alicePage.waitForSelector(`#online-list li[data-user-id="${bob.id}"]`);
    await bobPage.waitForSelector(`#online-list li[data-user-id="${aliceId}"]`);
    expect(await texts(bobPage, '#online-list li')).toEqual(
      [`${bob.nickname} (you)`, aliceName].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())),
    );
    // nobody has written privately yet: the conversation lists are empty, the online list is not
    expect(await bobPage.locator('#conversation-list li').count()).toBe(0);

    // appear offline (leave) and back (join)
    await bobPage.getByRole('button', { name: 'Appear offline' }).click();
    await alicePage.waitForSelector(`#online-list li[data-user-id="${bob.id}"]`, { state: 'detached' });
    expect(await bobPage.getByRole('button', { name: 'Appear offline' }).getAttribute('aria-pressed')).toBe('true');
    await bobPage.getByRole('button', { name: 'Appear offline' }).click();
    await alicePage.waitForSelector(`#online-list li[data-user-id="${bob.id}"]`);

    // presence that scales: a count, pages and one coalesced frame per tick, never the full list
    expect(aliceSockets[0]).toMatch(/\/ws\?caps=presence_changes$/);
    expect(aliceReceived).toContain('online_page');
    expect(aliceReceived).toContain('presence');
    expect(aliceReceived.filter((type) => ['online_users', 'user_joined', 'user_left'].includes(type))).toEqual([]);
    expect(await alicePage.locator('#online-count').textContent()).toBe('(2)');
  });

  it('chats in the public room, Enter sends, the message shows once for both', async () => {
    await alicePage.locator('#message-input').fill('Hello from Alice');
    await alicePage.keyboard.press('Enter');
    await bobPage.waitForFunction(() =>
      [...document.querySelectorAll('#message-list .content')].some((n) => n.textContent === 'Hello from Alice'),
    );
    await waitForCount(alicePage, '#message-list li.pending', 0);
    expect(await texts(alicePage, '#message-list .content')).toEqual(['Hello from Alice']);
    expect(await alicePage.locator('#message-input').inputValue()).toBe('');
    expect(await bobPage.locator('#announcer').getAttribute('aria-live')).toBe('polite');
    expect(await texts(bobPage, '#announcer p')).toEqual([`${aliceName} in the public room: Hello from Alice`]);
    await bobPage.locator('#message-input').fill('Hi Alice, Bob here');
    await bobPage.getByRole('button', { name: 'Send' }).click();
    await waitForCount(alicePage, '#message-list li[data-id]', 2);
    await screenshot(alicePage, '02-public-room');
  });

  it('renders a message with HTML or a script as plain text', async () => {
    const evil = '<script>window.__owned = 1</script><img src=x onerror="window.__owned = 2"><b>bold?</b>';
    await bobPage.locator('#message-input').fill(evil);
    await bobPage.keyboard.press('Enter');
    await waitForCount(alicePage, '#message-list li[data-id]', 3);
    expect((await texts(alicePage, '#message-list .content'))[2]).toBe(evil);
    expect(await alicePage.locator('#message-list script, #message-list img, #message-list b').count()).toBe(0);
    expect(await alicePage.evaluate(() => (window as unknown as { __owned?: number }).__owned)).toBeUndefined();
    await screenshot(alicePage, '03-script-as-text');
  });

  it('chats privately, shows typing, and orders the conversation list as the contract says', async () => {
    await bobPage.locator(`#online-list li[data-user-id="${aliceId}"] button`).click();
    await bobPage.waitForFunction(
      (name) => document.querySelector('#room-title')?.textContent === `@ ${name}`,
      aliceName,
    );
    expect(await bobPage.locator('#message-input').evaluate((el) => el === document.activeElement)).toBe(true);
    // opened from the online list before any private message: listed, online dot included
    await bobPage.waitForSelector(`#conversation-list button[data-user-id="${aliceId}"] .dot.online`);
    expect(await texts(bobPage, '#conversation-list .entry-name')).toEqual([aliceName]);

    await alicePage.locator(`#online-list li[data-user-id="${bob.id}"] button`).click();
    await alicePage.locator('#message-input').pressSequentially('psst, Bob', { delay: 20 });
    await bobPage.waitForFunction(
      (name) => document.querySelector('#typing-indicator')?.textContent === `${name} is typing…`,
      aliceName,
    );
    await screenshot(bobPage, '04-typing');
    const typingFrames = () => bobSent.filter((f) => f.type === 'typing');
    expect(typingFrames()).toEqual([]); // bob did not type

    await alicePage.keyboard.press('Enter');
    await bobPage.waitForFunction(() => document.querySelector('#message-list .content')?.textContent === 'psst, Bob');
    expect(await bobPage.locator('#typing-indicator').textContent()).toBe('');
    await bobPage.locator('#message-input').fill('got it');
    await bobPage.locator('#message-input').dispatchEvent('input');
    await bobPage.keyboard.press('Enter');
    await alicePage.waitForFunction(() => document.querySelectorAll('#message-list li[data-id]').length === 2);
    expect(typingFrames().map((f) => f.active)).toEqual([true, false]);
    expect(typingFrames()[0]).toMatchObject({ to: aliceId });

    // the server's list after the messages: alice; carol, who never wrote to bob, is not listed
    await bobPage.waitForFunction(
      (id) =>
        document.querySelector('#conversation-list li:first-child button')?.getAttribute('data-user-id') === String(id),
      aliceId,
    );
    expect(await texts(bobPage, '#conversation-list .entry-name')).toEqual([aliceName]);
    expect(await texts(alicePage, '#message-list .content')).toEqual(['psst, Bob', 'got it']);
    // the public room is separate: bob's private view holds only private messages
    expect(await texts(bobPage, '#message-list .content')).toEqual(['psst, Bob', 'got it']);
    await screenshot(alicePage, '05-private-conversation');
  });

  it('scrolls back 10 messages at a time, one request at a time', async () => {
    const seeder = await TestSocket.connect(server.wsUrl, carol.cookie);
    for (let i = 1; i <= 25; i++) {
      // a well-behaved client: on rate_limited, wait as told and retry with the same client_id
      for (;;) {
        seeder.send({ type: 'chat_message', content: `backlog ${i}`, client_id: `seed-${i}` });
        const answer = await seeder.next(
          (f) => (f.type === 'ack' && f.client_id === `seed-${i}`) || (f.type === 'error' && f.ref === `seed-${i}`),
        );
        if (answer.type === 'ack') break;
        expect(answer).toMatchObject({ code: 'rate_limited' });
        await new Promise((resolve) =>
          setTimeout(resolve, answer.type === 'error' ? (answer.retry_after_ms ?? 100) : 0),
        );
      }
    }
    await seeder.close();

    // a short window, so that ten grouped messages overflow and can be scrolled
    await bobPage.setViewportSize({ width: VIEWPORT.width, height: 480 });
    await bobPage.locator('#public-room-button').click();
    await bobPage.reload();
    await bobPage.waitForSelector('#connection-state[data-state="open"]');
    await waitForCount(bobPage, '#message-list li[data-id]', 10);
    expect((await texts(bobPage, '#message-list .content')).at(-1)).toBe('backlog 25');
    const historyRequests = () => bobSent.filter((f) => f.type === 'history').length;
    const initial = historyRequests();

    // a fast scroll: many scroll events at the top in one go
    await bobPage.evaluate(() => {
      const scroller = document.getElementById('message-scroller')!;
      scroller.dispatchEvent(new WheelEvent('wheel', { deltaY: -400 }));
      for (let i = 0; i < 30; i++) {
        scroller.scrollTop = i % 2;
        scroller.dispatchEvent(new Event('scroll'));
      }
    });
    await waitForCount(bobPage, '#message-list li[data-id]', 20);
    expect(historyRequests() - initial).toBe(1);
    const lastHistory = bobSent.filter((f) => f.type === 'history').at(-1)!;
    expect(lastHistory).toMatchObject({ limit: 10 });
    expect(typeof lastHistory.before).toBe('number');
    expect(await bobPage.locator('#message-scroller').evaluate((el) => el.scrollTop)).toBeGreaterThan(0); // anchored
    await screenshot(bobPage, '06-scroll-back');

    // the last page: 5 backlog + 3 earlier public messages, then the start is shown
    await bobPage.getByRole('button', { name: 'Load earlier messages' }).click();
    await waitForCount(bobPage, '#message-list li[data-id]', 28);
    await bobPage.locator('#history-start').waitFor();
    const all = await texts(bobPage, '#message-list .content');
    expect(all.slice(0, 2)).toEqual(['Hello from Alice', 'Hi Alice, Bob here']);
    expect(all.slice(3)).toEqual(Array.from({ length: 25 }, (_, i) => `backlog ${i + 1}`));
    await bobPage.setViewportSize(VIEWPORT);
  });

  it('keeps the history across a reload, in the same conversation', async () => {
    await alicePage.reload();
    await alicePage.waitForSelector('#connection-state[data-state="open"]');
    await alicePage.waitForFunction(
      (name) => document.querySelector('#room-title')?.textContent === `@ ${name}`,
      bob.nickname,
    );
    await waitForCount(alicePage, '#message-list li[data-id]', 2);
    expect(await texts(alicePage, '#message-list .content')).toEqual(['psst, Bob', 'got it']);
    await alicePage.locator('#public-room-button').click();
    await waitForCount(alicePage, '#message-list li[data-id]', 10);
    expect((await texts(alicePage, '#message-list .content')).at(-1)).toBe('backlog 25');
    await screenshot(alicePage, '07-after-reload');
  });

  it('when one closes, the other sees it leave', async () => {
    await bobPage.waitForSelector(`#online-list li[data-user-id="${aliceId}"]`);
    await aliceContext.close();
    await bobPage.waitForSelector(`#online-list li[data-user-id="${aliceId}"]`, { state: 'detached' });
    await bobPage.waitForSelector(`#conversation-list button[data-user-id="${aliceId}"] .dot:not(.online)`);
    expect(await texts(bobPage, '#online-list li')).toEqual([`${bob.nickname} (you)`]);
    await screenshot(bobPage, '08-after-leave');
  });

  it('reconnects after a dropped connection: resumes what it missed and re-sends the unacked message once', async () => {
    // Route bob's socket through the test so it can lose the server's frames, then drop it.
    const routes: WebSocketRoute[] = [];
    const deaf = new Set<WebSocketRoute>();
    const sentThroughRoute: Array<{ type: string; [key: string]: unknown }> = [];
    await bobPage.routeWebSocket(/\/ws(\?|$)/, (page) => {
      const upstream = page.connectToServer();
      routes.push(page);
      page.onMessage((data) => {
        sentThroughRoute.push(JSON.parse(String(data)));
        upstream.send(data);
      });
      upstream.onMessage((data) => {
        if (!deaf.has(page)) page.send(data);
      });
    });
    await bobPage.reload();
    await bobPage.waitForSelector('#connection-state[data-state="open"]');
    await waitForCount(bobPage, '#message-list li[data-id]', 10);
    const watcher = await TestSocket.connect(server.wsUrl, carol.cookie);

    deaf.add(routes[0]); // frames reach the server, nothing comes back: no ack, no live copy
    await bobPage.locator('#message-input').fill('sent just before the drop');
    await bobPage.keyboard.press('Enter');
    await watcher.next((f) => f.type === 'chat_message' && f.content === 'sent just before the drop');
    watcher.send({ type: 'chat_message', content: 'while you were away', client_id: 'away-1' });
    await watcher.next((f) => f.type === 'ack' && f.client_id === 'away-1');
    await waitForCount(bobPage, '#message-list li.pending', 1);

    // hold the reconnect at its session check, to see the state, then let it through
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await bobPage.route('**/api/auth/me', async (route) => {
      await gate;
      await route.continue();
    });
    // the first connection after the reload resumed from the position saved on leaving
    const resumesBefore = sentThroughRoute.filter((f) => f.type === 'resume').length;
    await routes[0].close({ code: 4000, reason: 'network drop' });
    await bobPage.waitForSelector('#connection-state[data-state="reconnecting"]');
    await screenshot(bobPage, '09-reconnecting');
    release();
    await bobPage.waitForSelector('#connection-state[data-state="open"]');
    await waitForCount(bobPage, '#message-list li.pending', 0);
    await bobPage.waitForFunction(() =>
      [...document.querySelectorAll('#message-list .content')].some((n) => n.textContent === 'while you were away'),
    );
    const shown = await texts(bobPage, '#message-list .content');
    expect(shown.filter((t) => t === 'while you were away')).toHaveLength(1);
    expect(shown.filter((t) => t === 'sent just before the drop')).toHaveLength(1);
    expect(shown.at(-1)).toBe('while you were away');

    const sends = sentThroughRoute.filter((f) => f.type === 'chat_message');
    expect(sends).toHaveLength(2);
    expect(sends[1].client_id).toBe(sends[0].client_id);
    expect(sentThroughRoute.filter((f) => f.type === 'resume')).toHaveLength(resumesBefore + 1);
    // stored once: the retry was recognised by its client_id (a sentinel proves nothing else came)
    watcher.send({ type: 'chat_message', content: 'sentinel', client_id: 'sentinel-1' });
    await watcher.next((f) => f.type === 'chat_message' && f.content === 'sentinel');
    expect(
      watcher.frames.filter((f) => f.type === 'chat_message' && f.content === 'sent just before the drop'),
    ).toHaveLength(1);
    await watcher.close();
    await bobPage.unrouteAll({ behavior: 'wait' });
  });

  it('shows an edit and a deletion live, in place: the new content marked edited, then a tombstone', async () => {
    const author = await TestSocket.connect(server.wsUrl, carol.cookie);
    author.send({ type: 'chat_message', content: 'first draft', client_id: 'draft-1' });
    const { id } = (await author.next((f) => f.type === 'ack' && f.client_id === 'draft-1')) as { id: number };
    const item = `#message-list li[data-id="${id}"]`;
    await bobPage.waitForSelector(`${item} .content:text-is("first draft")`);
    const before = await texts(bobPage, '#message-list li[data-id]');

    author.send({ type: 'edit_message', id, content: 'second thoughts' });
    await author.next((f) => f.type === 'message_edited' && f.id === id);
    await bobPage.waitForSelector(`${item} .content:text-is("second thoughts")`);
    expect(await bobPage.locator(`${item} .edited`).textContent()).toBe('(edited)');
    await screenshot(bobPage, '10a-edited');

    author.send({ type: 'delete_message', id });
    await author.next((f) => f.type === 'message_deleted' && f.id === id);
    await bobPage.waitForSelector(`${item}.deleted`);
    expect(await bobPage.locator(`${item} .content`).textContent()).toBe('This message was deleted.');
    expect(await bobPage.locator(`${item} .edited`).count()).toBe(0);
    // in place: the same items in the same order, nothing of the old content left
    expect(await bobPage.locator('#message-list li[data-id]').count()).toBe(before.length);
    expect(
      (await texts(bobPage, '#message-list .content')).filter((t) => /first draft|second thoughts/.test(t)),
    ).toEqual([]);
    await screenshot(bobPage, '10b-deleted');
    await author.close();
  });

  it('logging out ends the session in every tab and shows the login form again', async () => {
    const secondTab = await bobContext.newPage();
    secondTab.on('pageerror', (error) => pageErrors.push(error.message));
    await secondTab.goto(server.baseUrl);
    await secondTab.waitForSelector('#connection-state[data-state="open"]');

    await bobPage.getByRole('button', { name: 'Log out' }).click();
    await bobPage.locator('#auth-view').waitFor();
    expect(await bobPage.locator('#auth-note').textContent()).toBe('You have logged out.');
    expect((await bobContext.cookies()).find((c) => c.name === 'session_id')).toBeUndefined();
    await screenshot(bobPage, '10-logged-out');

    // the other tab's socket was closed with 4401: it says so and does not reconnect
    await secondTab.locator('#auth-view').waitFor();
    expect(await secondTab.locator('#auth-note').textContent()).toBe('Your session has ended. Please log in again.');
    await screenshot(secondTab, '11-session-ended-in-other-tab');
    expect(pageErrors).toEqual([]);
  });
});
