import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './cluster.js';

/** Where Debian installs nginx. */
export const NGINX_BINARY = process.env.NGINX_BINARY ?? '/usr/sbin/nginx';

/** Whether an nginx binary runs here. */
export function nginxAvailable(): boolean {
  return spawnSync(NGINX_BINARY, ['-v']).status === 0;
}

/** A running nginx child process on 127.0.0.1. */
export interface TestNginx {
  port: number;
  close(): Promise<void>;
}

/**
 * Runs nginx in the foreground (`daemon off`, one process, everything in a temp folder)
 * with the http-context snippet `siteFile`, adapted for the test: it listens on a free
 * 127.0.0.1 port, proxies to `upstreamPorts`, and `edit` may change more (shorter timeouts).
 */
export async function startNginx(
  siteFile: string,
  upstreamPorts: number[],
  edit: (site: string) => string = (s) => s,
): Promise<TestNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'forum-chat-nginx-'));
  const port = await freePort();
  let site = readFileSync(siteFile, 'utf8');
  const servers = upstreamPorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n');
  site = site.replace(/(    server 127\.0\.0\.1:\d+[^\n]*\n)+/, `${servers}\n`);
  site = site.replace(/listen 80;/, `listen 127.0.0.1:${port};`);
  site = edit(site);
  writeFileSync(join(dir, 'site.conf'), site);
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, temp));
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/site.conf;
}
`,
  );
  const child: ChildProcess = spawn(
    NGINX_BINARY,
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 5_000;
  for (;;) {
    if (child.exitCode !== null) {
      const log = readFileSync(join(dir, 'error.log'), 'utf8');
      await close();
      throw new Error(`nginx exited: ${stderr} ${log}`);
    }
    const status = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.status,
      () => 0,
    );
    if (status !== 0) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`nginx did not answer on port ${port}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, close };
}
