import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithServices, requireServices, TEST_REDIS_URL } from '../../../test/support/services.js';
import { encodeEnvelope, encodeEveryoneBatch } from '../fanout/fanout-envelope.codec.js';
import { presenceChangeFrame } from '../protocol/presence-change-frame.js';
import { everyoneBatchLua, presenceAnnouncementLua, presenceFrameLua } from './presence-announcement.lua.js';
import { ONE_REDIS_SCRIPTS } from './redis-presence.scripts.js';

const redisProbe = await requireServices('redis');

/** What the TypeScript side writes for the same announcement. */
function expected(type: 'user_joined' | 'user_left', id: number, nickname: string, stamp: string): string {
  return encodeEnvelope({
    kind: 'everyone',
    frame: JSON.stringify(presenceChangeFrame(type, { id, nickname }, stamp)),
  });
}

it('the presence scripts contain no hand-written frame format, only the generated expression', () => {
  expect(ONE_REDIS_SCRIPTS.resync).toContain(
    presenceAnnouncementLua({ kind: 'kind', uid: 'uid', nick: 'nick', stamp: 'stamp' }),
  );
  expect(ONE_REDIS_SCRIPTS.resync).not.toMatch(/"user_id"|"nickname"|"timestamp"/);
  expect(ONE_REDIS_SCRIPTS.batch).toContain(everyoneBatchLua('frames'));
  expect(ONE_REDIS_SCRIPTS.batch).not.toMatch(/"user_id"|"nickname"|"timestamp"/);
});

describeWithServices(redisProbe, 'the generated Lua on a real Redis', () => {
  let redis: Redis;
  const lua = `local kind, uid, nick, stamp = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
return ${presenceAnnouncementLua({ kind: 'kind', uid: 'uid', nick: 'nick', stamp: 'stamp' })}`;
  const run = (...args: string[]) => redis.eval(lua, 0, ...args) as Promise<string>;

  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(() => redis.quit());

  it.each([
    ['user_joined', 7, 'alice', '2026-11-26T08:00:00.117Z'],
    ['user_left', 123_456, 'Zoë "the" \\ ünïcødé 😀', '2026-11-26T08:00:00.000Z'],
  ] as const)(
    'writes byte for byte what encodeEnvelope(presenceChangeFrame(%s, …)) writes',
    async (type, id, nick, stamp) => {
      expect(await run(type, String(id), nick, stamp)).toBe(expected(type, id, nick, stamp));
    },
  );

  it('escapes a slash differently (cjson: \\/) but to the same value', async () => {
    const wire = await run('user_joined', '3', 'a/b', '2026-11-26T08:00:00.000Z');
    const want = expected('user_joined', 3, 'a/b', '2026-11-26T08:00:00.000Z');
    expect(wire.slice(0, 2)).toBe(want.slice(0, 2));
    expect(JSON.parse(wire.slice(2))).toEqual(JSON.parse(want.slice(2)));
  });

  it('writes a batch of frames byte for byte as encodeEveryoneBatch does', async () => {
    const frame = presenceFrameLua({ kind: 'kind', uid: 'uid', nick: 'nick', stamp: 'stamp' });
    const lua = `local frames = {}
for i = 1, #ARGV, 4 do
  local kind, uid, nick, stamp = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  table.insert(frames, ${frame})
end
return ${everyoneBatchLua('frames')}`;
    const changes = [
      ['user_joined', 7, 'alice', '2026-11-26T08:00:00.117Z'],
      ['user_left', 123_456, 'Zoë "the" \\ ünïcødé 😀', '2026-11-26T08:00:00.000Z'],
    ] as const;
    const wire = (await redis.eval(lua, 0, ...changes.flatMap(([t, id, n, s]) => [t, String(id), n, s]))) as string;
    expect(wire).toBe(
      encodeEveryoneBatch(
        changes.map(([type, id, nickname, stamp]) =>
          JSON.stringify(presenceChangeFrame(type, { id, nickname }, stamp)),
        ),
      ),
    );
  });
});
