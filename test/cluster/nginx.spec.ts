import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessageFrame } from '../../src/chat/protocol/frames.js';
import { startCluster, TestCluster } from '../support/cluster.js';
import { postJson, registerAndLogin } from '../support/http-client.js';
import { nginxAvailable, startNginx, TestNginx } from '../support/nginx.js';
import { describeWithServices, requireClusterServices, type ServiceProbe } from '../support/services.js';
import { TestSocket } from '../support/ws-client.js';

const services = await requireClusterServices();
const SITE = resolve(import.meta.dirname, '../../docs/nginx/forum-chat.conf');
const GUIDE = resolve(import.meta.dirname, '../../docs/cluster.md');

if (!nginxAvailable()) {
  if (process.env.CI === 'true') throw new Error('nginx is not installed (CI=true: .ci/run installs it)');
  process.stderr.write('\n!!!! SKIPPING the nginx test: no nginx binary (apt-get install -y nginx)\n\n');
}

const probe: ServiceProbe = nginxAvailable()
  ? services
  : { available: false, reason: 'no nginx binary (apt-get install -y nginx)' };

describeWithServices(probe, 'the documented nginx configuration in front of three instances', () => {
  let cluster: TestCluster;
  let nginx: TestNginx;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    // short heartbeat so that the idle test below takes seconds; the proxy timeout keeps the documented ratio
    cluster = await startCluster(3, { CHAT_PING_INTERVAL_MS: '300', CHAT_PONG_TIMEOUT_MS: '1000' });
    nginx = await startNginx(
      SITE,
      cluster.nodes.map((node) => node.port),
      (site) =>
        site
          .replace(/proxy_read_timeout 75s;/, 'proxy_read_timeout 1s;')
          .replace(/proxy_send_timeout 75s;/, 'proxy_send_timeout 1s;'),
    );
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) socket.ws.terminate();
    await nginx?.close();
    await cluster?.close();
  }, 30_000);

  it('is the configuration the guide shows', () => {
    expect(readFileSync(GUIDE, 'utf8')).toContain(readFileSync(SITE, 'utf8').trim());
  });

  it('serves login, /health and chat between sockets spread over the instances; idle sockets outlive the proxy timeout', async () => {
    const base = `http://127.0.0.1:${nginx.port}`;
    const ws = `ws://127.0.0.1:${nginx.port}/ws`;
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const users = await Promise.all([registerAndLogin(base), registerAndLogin(base), registerAndLogin(base)]);
    // a browser's Origin: the Host header must reach the instance with its port
    for (const user of users) {
      const socket = await TestSocket.open(ws, { cookie: user.cookie, headers: { origin: base } });
      sockets.push(socket);
      await socket.nextOfType('online_users');
    }
    // idle for longer than proxy_read_timeout: the server's pings keep the sockets open
    await new Promise((r) => setTimeout(r, 2_500));
    sockets[0].send({ type: 'chat_message', content: 'through nginx' });
    for (const socket of sockets) {
      expect(
        await socket.next<ChatMessageFrame>((f) => f.type === 'chat_message' && f.content === 'through nginx'),
      ).toMatchObject({
        user_id: users[0].id,
      });
    }
    const logout = await postJson(base, '/api/auth/logout', undefined, { cookie: users[2].cookie });
    expect(logout.status).toBe(204);
    expect((await sockets[2].closed).code).toBe(4401);
  }, 30_000);
});
