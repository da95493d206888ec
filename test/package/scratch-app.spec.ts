import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  describeWithServices,
  dropSchema,
  postgresUrlFor,
  requireClusterServices,
  testNamespace,
} from '../support/services.js';
import { TestSocket } from '../support/ws-client.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SCRATCH = join(ROOT, 'test/package/scratch-app');
const run = promisify(execFile);
const services = await requireClusterServices();

/** Packs forum-chat (already built) into `dir` as forum-chat.tgz and pins the scratch lock to it. */
async function packInto(dir: string): Promise<void> {
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT });
  const [{ filename }] = JSON.parse(stdout) as Array<{ filename: string }>;
  const tarball = join(dir, 'forum-chat.tgz');
  cpSync(join(dir, filename), tarball);
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
  lock.packages['node_modules/forum-chat'].integrity =
    `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
}

/** Starts the scratch app's `dist/main.js`; resolves with its port once it listens. */
function startScratch(dir: string, env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: dir, env: { ...process.env, ...env, PORT: '0' } });
  let output = '';
  return new Promise((resolvePort, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (\d+)/.exec(output);
      if (match) resolvePort({ child, port: Number(match[1]) });
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code) => reject(Object.assign(new Error(`scratch app exited ${code}: ${output}`), { output })));
  });
}

async function login(base: string, username: string, password: string, ttl?: number): Promise<string> {
  const response = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, ttl }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { access_token: string }).access_token;
}

describeWithServices(services, 'forum-chat installed from npm pack into a scratch Nest app', () => {
  const dir = mkdtempSync(join(tmpdir(), 'forum-chat-scratch-'));
  const schema = testNamespace();
  let app: { child: ChildProcess; port: number };
  let base: string;
  let wsBase: string;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const timed = async (step: string, work: () => Promise<unknown>) => {
      const started = performance.now();
      await work();
      timings[step] = Math.round(performance.now() - started);
    };
    cpSync(SCRATCH, dir, { recursive: true, filter: (path) => !/node_modules|dist$/.test(path) });
    await timed('pack', () => packInto(dir));
    // only the npm cache that `npm ci` of forum-chat filled: the scratch lock pins the same versions
    await timed('install', () =>
      run('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir }),
    );
    await timed('compile', () => run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir]));
    await timed('start', async () => {
      app = await startScratch(dir, { DATABASE_URL: postgresUrlFor(schema) });
    });
    base = `http://127.0.0.1:${app.port}`;
    wsBase = `ws://127.0.0.1:${app.port}`;
    process.stdout.write(`scratch app: ${JSON.stringify(timings)} ms\n`);
  }, 600_000);

  afterAll(async () => {
    if (app && app.child.exitCode === null) {
      const exited = new Promise((done) => app.child.once('exit', done));
      app.child.kill('SIGTERM');
      await exited;
    }
    await dropSchema(schema).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('installs one copy of Nest and Passport, and none of the drivers the app does not use', () => {
    const modules = join(dir, 'node_modules');
    expect(existsSync(join(modules, 'forum-chat/node_modules'))).toBe(false);
    for (const driver of ['better-sqlite3', 'ioredis', 'helmet', '@nestjs/terminus'])
      expect(existsSync(join(modules, driver)), driver).toBe(false);
    const packed = readdirSync(join(modules, 'forum-chat'));
    expect(packed.sort()).toEqual(['README.md', 'dist', 'docs', 'package.json']);
  });

  it('refuses a handshake without a token or with a bad one with 401', async () => {
    await expect(TestSocket.open(`${wsBase}/ws`)).rejects.toMatchObject({ status: 401 });
    await expect(
      TestSocket.open(`${wsBase}/ws`, { headers: { authorization: 'Bearer not.a.token' } }),
    ).rejects.toMatchObject({ status: 401 });
  });

  it('logs in with the app own JWT, and delivers public and private messages with acks', async () => {
    const john = await TestSocket.open(`${wsBase}/ws`, {
      headers: { authorization: `Bearer ${await login(base, 'john', 'changeme')}` },
    });
    await john.nextOfType('online_users');
    const maria = await TestSocket.open(`${wsBase}/ws`, {
      headers: { authorization: `Bearer ${await login(base, 'maria', 'guess')}` },
    });
    await john.nextOfType('user_joined');
    john.send({ type: 'chat_message', content: 'hello maria', client_id: 'p1' });
    expect(await maria.nextOfType('chat_message')).toMatchObject({
      content: 'hello maria',
      user_id: 1,
      nickname: 'john',
    });
    expect(await john.nextOfType('ack')).toMatchObject({ client_id: 'p1' });
    maria.send({ type: 'private_message', to: 1, content: 'hi john', client_id: 'q1' });
    expect(await john.nextOfType('private_message')).toMatchObject({ content: 'hi john', user_id: 2, to: 1 });
    expect(await maria.nextOfType('ack')).toMatchObject({ client_id: 'q1' });
    await Promise.all([john.close(), maria.close()]);
  });

  it("closes a socket with 4401 when its token's exp passes", async () => {
    const token = await login(base, 'maria', 'guess', 2);
    const maria = await TestSocket.open(`${wsBase}/ws`, { headers: { authorization: `Bearer ${token}` } });
    expect((await maria.closed).code).toBe(4401);
  });

  it("leaves the app's own gateway alone: no chat auth, stock protocol", async () => {
    const echo = new WebSocket(`${wsBase}/echo`);
    const reply = new Promise<string>((done) => echo.once('message', (data) => done(data.toString())));
    await new Promise((opened, failed) => echo.once('open', opened).once('error', failed));
    echo.send(JSON.stringify({ event: 'echo', data: 'x'.repeat(10_000) }));
    expect(JSON.parse(await reply)).toEqual({ event: 'echo', data: 'x'.repeat(10_000) });
    echo.close();
  });

  it("serves the chat's health and metrics through the app's own controller", async () => {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok', info: { database: 'up' } });
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('chat_connections');
  });

  it('stops at start naming the driver a sqlite: URL needs and the app did not install', async () => {
    const failed = await startScratch(dir, { DATABASE_URL: 'sqlite::memory:' }).catch((error) => error);
    expect(failed.output).toContain('forum-chat needs the package "better-sqlite3" for a "sqlite:" database URL');
  });
});
