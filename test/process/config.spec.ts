import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runServerToExit, spawnServer } from '../support/server-process.js';

describe('configuration is validated at start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'forum-chat-config-'));
  const base = { DATABASE_URL: `sqlite:${join(dataDir, 'chat.db')}` };

  it.each([
    ['PORT', 'eighty', /^invalid configuration: PORT="eighty" — expected an integer port 0–65535$/],
    ['CHAT_MAX_FRAME_BYTES', '-5', /^invalid configuration: CHAT_MAX_FRAME_BYTES=-5 — expected an integer ≥ 256$/],
    ['CHAT_RATE_LIMIT', 'lots', /^invalid configuration: CHAT_RATE_LIMIT="lots" — expected "<n>\/<duration>/],
    [
      'DATABASE_URL',
      'mysql://x',
      /^invalid configuration: DATABASE_URL="mysql:\/\/x" — expected "sqlite:<path>" or "postgres:\/\/…"$/,
    ],
    [
      'CHAT_PONG_TIMEOUT_MS',
      '1000',
      /^invalid configuration: CHAT_PONG_TIMEOUT_MS=1000 — expected more than CHAT_PING_INTERVAL_MS \(54000\)$/,
    ],
  ])('a bad %s stops the process with one line naming it', async (name, value, expected) => {
    const { code, stdout, stderr } = await runServerToExit({ ...base, [name]: value });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
  });

  it('a retired setting still set is named in one warning, and the server starts', async () => {
    const server = await spawnServer({ ...base, AUTH_SCRYPT_COST: '17' });
    try {
      const warnings = server
        .output()
        .split('\n')
        .filter((line) => line.includes('AUTH_SCRYPT_COST'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/AUTH_SCRYPT_COST is no longer read: new password hashes are Argon2id/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
