import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, putRoom, TEST_ADMIN_TOKEN } from '../support/admin-client.js';
import { registerAndLogin, uniqueNickname, type TestUser } from '../support/http-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';
import {
  buildClientBundle,
  controlsNotReachedByTab,
  deviceContext,
  DEVICES,
  horizontalOverflow,
  launchChromium,
  openDrawer as openDrawerOn,
  recordSentFrames,
  screenshot,
  sendAndAwaitAck,
  seriousAxeViolations,
  SETUP_MS,
  texts,
  undersizedControls,
  useSession,
  waitForCount,
} from './browser-harness.js';

beforeAll(() => buildClientBundle(), SETUP_MS);

/**
 * Rooms, user search and moderation as a member meets them on the chat page, on a 1280×800
 * desktop and a 390×844 phone, in headless Chromium against the real server with the stand-in
 * forum's rooms: the room list with the server's unread counts (kept across visits), switching,
 * leaving, a room taken away, typing per room, finding someone offline to write to, a muted
 * composer and a moderator's removal. Every new state fits the phone, passes axe-core without
 * serious or critical violations, and is used by keyboard alone; screenshots of each go to
 * `test-artifacts/<device>-rooms-*.png`.
 */
describe.each(DEVICES)('rooms, search and moderation on a $device', (screen) => {
  const { device, phone } = screen;
  let server: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let sent: Array<{ type: string; [key: string]: unknown }>;
  let ann: TestUser;
  let ben: TestUser;
  let cat: TestUser;
  let benSocket: TestSocket;
  const pageErrors: string[] = [];
  const crew = `crew-${device}`;
  const news = `news-${device}`;
  const zeta = `zeta-${device}`;
  const shot = (name: string) => screenshot(page, `${device}-rooms-${name}`);
  const openDrawer = () => openDrawerOn(page, phone);
  const roomButton = (room: string) => page.locator(`#room-list button[data-room="${room}"]`);

  /** The page passes axe, fits the phone, and on a phone every visible control is touch-sized. */
  async function expectGood(state: string): Promise<void> {
    expect(await seriousAxeViolations(page), `axe on ${device} / ${state}`).toEqual([]);
    expect(await horizontalOverflow(page), `overflow on ${device} / ${state}`).toBeLessThanOrEqual(0);
    if (!phone) return;
    const small = await undersizedControls(page, '#chat-view button, #chat-view input, #chat-view textarea');
    expect(small, `touch targets on ${state}`).toEqual([]);
  }

  /** Focuses `selector` and activates it with the keyboard. */
  async function pressOn(selector: string, key = 'Enter'): Promise<void> {
    await page.locator(selector).first().focus();
    await page.keyboard.press(key);
  }

  const postIn = (room: string, content: string, clientId: string) =>
    sendAndAwaitAck(benSocket, { type: 'chat_message', room, content }, clientId);

  beforeAll(async () => {
    server = await startTestApp({ ADMIN_TOKEN: TEST_ADMIN_TOKEN, CHAT_RATE_LIMIT: 'off' });
    browser = await launchChromium();
    ann = await registerAndLogin(server.baseUrl, uniqueNickname('ann'));
    ben = await registerAndLogin(server.baseUrl, uniqueNickname('ben'));
    cat = await registerAndLogin(server.baseUrl, uniqueNickname('cat'));
    await putRoom(server.baseUrl, crew, { title: 'Crew', members: [ann.id, ben.id], moderators: [ben.id] });
    await putRoom(server.baseUrl, news, { title: 'News', read_only: true, moderators: [ben.id] });
    await putRoom(server.baseUrl, zeta, { title: 'Zeta', members: [ann.id, ben.id] });
    benSocket = await TestSocket.connect(server.wsUrl, ben.cookie);
    await postIn(crew, 'crew one', 'c1');
    await postIn(crew, `crew two for @${ann.nickname}`, 'c2');
    await postIn(crew, 'crew three', 'c3');
    context = await deviceContext(browser, screen);
    context.setDefaultTimeout(10_000);
    await useSession(context, server.baseUrl, ann.token);
    page = await context.newPage();
    sent = recordSentFrames(page);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, SETUP_MS);

  afterAll(async () => {
    await benSocket?.close();
    await browser?.close();
    await server?.close();
  });

  it("lists the rooms the forum allows, with the server's unread counts", async () => {
    await page.goto(server.baseUrl);
    await page.waitForSelector('#connection-state[data-state="open"]');
    await roomButton(crew).waitFor({ state: 'attached' });
    expect(await texts(page, '#room-list .entry-name')).toEqual(['# Public room', '# Crew', '# News', '# Zeta']);
    const badge = `#room-list button[data-room="${crew}"] [data-unread]`;
    await page.waitForFunction((sel) => document.querySelector(sel)?.firstChild?.textContent === '3', badge);
    expect(await page.locator(badge).getAttribute('class')).toContain('mention');
    expect(await page.locator(badge).textContent()).toBe('3 unread, 1 mentioning you');
    expect(await roomButton(news).textContent()).toContain('not joined');
    await openDrawer();
    await expectGood('room list');
    await shot('01-room-list');
  });

  it('switches to a room by keyboard: its messages, where unread began, the mention marked; read for the server', async () => {
    await openDrawer();
    await pressOn(`#room-list button[data-room="${crew}"]`);
    await page.waitForFunction(() => document.querySelector('#room-title')?.textContent === '# Crew');
    await waitForCount(page, '#message-list li[data-id]', 3);
    expect(await texts(page, '#message-list li.unread-line')).toEqual(['New']);
    expect(await page.locator('#message-list li.mentioned .mention.me').count()).toBe(1);
    await page.waitForSelector(`#room-list button[data-room="${crew}"] [data-unread][hidden]`, { state: 'attached' });
    expect(sent).toContainEqual({ type: 'join', room: crew });
    await expect.poll(() => sent.some((f) => f.type === 'mark_read' && f.room === crew)).toBe(true);
    expect(await page.locator('#leave-room').isVisible()).toBe(true);
    const badge = `#room-list button[data-room="${crew}"] [data-unread]`;
    await expectGood('room switched');
    await shot('02-room-switched');

    // the next visit, in the public room: nothing unread in Crew (the server's read state),
    // which is followed again, so a new message there counts at once
    const joins = () => sent.filter((f) => f.type === 'join' && f.room === crew).length;
    await page.goto(`${server.baseUrl}/?again#public`);
    await page.waitForSelector('#connection-state[data-state="open"]');
    await roomButton(crew).waitFor({ state: 'attached' });
    expect(await page.locator('#room-title').textContent()).toBe('# Public room');
    await expect.poll(joins).toBe(2);
    expect(await page.locator(`#room-list button[data-room="${crew}"] [data-unread]`).getAttribute('hidden')).toBe('');
    await postIn(crew, 'live in crew', 'c4');
    await page.waitForFunction((sel) => document.querySelector(sel)?.firstChild?.textContent === '1', badge);
  });

  it('shows typing in the room typed in only, and announces its own typing to that room', async () => {
    await openDrawer();
    await pressOn(`#room-list button[data-room="${crew}"]`);
    await page.waitForFunction(() => document.querySelector('#room-title')?.textContent === '# Crew');
    benSocket.send({ type: 'typing', room: crew, active: true });
    await page.waitForFunction(
      (name) => document.querySelector('#typing-indicator')?.textContent === `${name} is typing…`,
      ben.nickname,
    );
    await page.locator('#message-input').focus();
    await page.keyboard.type('hel');
    await expect.poll(() => sent.some((f) => f.type === 'typing' && f.room === crew && f.active === true)).toBe(true);
    await openDrawer();
    await pressOn('#public-room-button');
    await page.waitForFunction(() => document.querySelector('#room-title')?.textContent === '# Public room');
    expect(await page.locator('#typing-indicator').textContent()).toBe('');
    expect(await page.locator('#message-input').inputValue()).toBe(''); // the draft stays with Crew
    expect(sent).toContainEqual({ type: 'typing', room: crew, active: false });
    benSocket.send({ type: 'typing', room: crew, active: false });
  });

  it('leaves a room with the keyboard, and joins it again by opening it', async () => {
    await openDrawer();
    await pressOn(`#room-list button[data-room="${crew}"]`);
    await page.waitForFunction(() => document.querySelector('#room-title')?.textContent === '# Crew');
    expect(await page.locator('#message-input').inputValue()).toBe('hel');
    await pressOn('#leave-room');
    await page.waitForFunction(() => document.querySelector('#room-title')?.textContent === '# Public room');
    expect(sent).toContainEqual({ type: 'leave', room: crew });
    await page.waitForFunction(
      (room) => document.querySelector(`#room-list button[data-room="${room}"]`)?.textContent?.includes('not joined'),
      crew,
    );
    await openDrawer();
    await pressOn(`#room-list button[data-room="${news}"]`);
    await page.waitForFunction(() => document.querySelector('#room-title')?.textContent === '# News');
    await page.waitForFunction(() => (document.getElementById('message-input') as HTMLTextAreaElement).disabled);
    expect(await page.locator('#composer-blocked').textContent()).toBe('You can read this room but not post in it.');
  });

  it('a room the forum takes away leaves the list with a clear notice', async () => {
    await openDrawer();
    await pressOn(`#room-list button[data-room="${zeta}"]`);
    await page.waitForFunction(() => document.querySelector('#room-title')?.textContent === '# Zeta');
    await expect.poll(() => sent.some((f) => f.type === 'join' && f.room === zeta)).toBe(true);
    await page.waitForFunction(() => !document.getElementById('leave-room')!.hidden);
    await putRoom(server.baseUrl, zeta, { title: 'Zeta', members: [ben.id] });
    await page.waitForSelector('#notice:not([hidden])');
    expect(await page.locator('#notice-text').textContent()).toBe(
      'You no longer have access to Zeta: it was removed from your rooms.',
    );
    expect(await page.locator('#room-title').textContent()).toBe('# Public room');
    expect(await roomButton(zeta).count()).toBe(0);
    await expectGood('room taken away');
    await shot('03-room-taken-away');
    await pressOn('#notice-dismiss');
    await page.waitForSelector('#notice', { state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('message-input');
  });

  it('finds someone offline by nickname and starts a private conversation, by keyboard', async () => {
    await openDrawer();
    await page.locator('#user-search-input').focus();
    await page.keyboard.type(cat.nickname.slice(0, 6));
    await page.keyboard.press('Enter');
    const result = `#user-search-results li[data-user-id="${cat.id}"] button`;
    await page.waitForSelector(result);
    expect(await page.locator('#user-search-status').textContent()).toMatch(/found/);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('#user-search-results') !== null)).toBe(true);
    await expectGood('search open');
    await shot('04-search');
    await pressOn(result);
    await page.waitForFunction(
      (name) => document.querySelector('#room-title')?.textContent === `@ ${name}`,
      cat.nickname,
    );
    expect(await page.locator('#room-subtitle').textContent()).toBe('offline');
    await page.locator('#message-input').fill('hello cat');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => document.querySelector('#message-list li[data-id]:last-child .content')?.textContent === 'hello cat',
    );
    expect(sent).toContainEqual(expect.objectContaining({ type: 'private_message', to: cat.id, content: 'hello cat' }));
  });

  it('disables the composer with a visible reason while muted, and enables it when the mute is lifted or runs out', async () => {
    await openDrawer();
    await pressOn('#public-room-button');
    await page.waitForFunction(() => document.querySelector('#room-title')?.textContent === '# Public room');
    const muted = () =>
      page.waitForFunction(() => (document.getElementById('message-input') as HTMLTextAreaElement).disabled);
    const unmuted = () =>
      page.waitForFunction(() => !(document.getElementById('message-input') as HTMLTextAreaElement).disabled);
    expect((await adminCall(server.baseUrl, 'PUT', `/api/admin/chat/mutes/lobby/${ann.id}`, {})).status).toBeLessThan(
      300,
    );
    await muted();
    expect(await page.locator('#composer-blocked').textContent()).toBe(
      'You are muted here by a moderator until the mute is lifted.',
    );
    expect(await page.locator('#send-button').isDisabled()).toBe(true);
    const describedBy = await page.locator('#message-input').getAttribute('aria-describedby');
    expect(describedBy?.split(' ')).toContain('composer-blocked');
    await expectGood('muted composer');
    await shot('05-muted');
    expect((await adminCall(server.baseUrl, 'DELETE', `/api/admin/chat/mutes/lobby/${ann.id}`)).status).toBe(204);
    await unmuted();
    expect(await page.locator('#composer-blocked').isHidden()).toBe(true);

    // a timed mute says until when, and ends by itself (the server sends nothing then)
    await adminCall(server.baseUrl, 'PUT', `/api/admin/chat/mutes/lobby/${ann.id}`, { duration_ms: 2_000 });
    await muted();
    expect(await page.locator('#composer-blocked').textContent()).toMatch(
      /^You are muted here by a moderator until .+\. You can still read\.$/,
    );
    expect(await page.locator('#composer-blocked time').count()).toBe(1);
    await unmuted();
  });

  it("shows a moderator's removal of a message as a tombstone", async () => {
    await openDrawer();
    await pressOn(`#room-list button[data-room="${crew}"]`);
    await page.waitForFunction(() => document.querySelector('#room-title')?.textContent === '# Crew');
    await page.locator('#message-input').fill('off topic');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#message-list li.mine[data-id]');
    const id = Number(await page.locator('#message-list li.mine[data-id]').last().getAttribute('data-id'));
    benSocket.send({ type: 'delete_message', id });
    await page.waitForSelector(`#message-list li[data-id="${id}"].deleted`);
    expect(await page.locator(`#message-list li[data-id="${id}"] .content`).textContent()).toBe(
      'This message was deleted.',
    );
    await expectGood('removed by a moderator');
    await shot('06-moderator-removal');
  });

  it('reaches every control by keyboard alone: rooms, Leave room, the search and its results', async () => {
    await openDrawer();
    const selector = '#chat-view button, #chat-view input, #chat-view textarea';
    for (const control of [
      '#leave-room',
      '#user-search-input',
      `#user-search-results li[data-user-id="${cat.id}"] button`,
    ])
      expect(await page.locator(control).isVisible(), control).toBe(true);
    expect(await controlsNotReachedByTab(page, { from: '#presence-toggle', selector })).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
