import { everyoneBatchLua, presenceAnnouncementLua, presenceFrameLua } from './presence-announcement.lua.js';

/**
 * Lua scripts of `RedisPresenceStore`; each runs atomically on the Redis server. Keys,
 * under the base `p` (ARGV[1]; `RedisChannels.presenceKeyBase`, hash-tagged on a Redis
 * Cluster so that every key a script touches is on one slot):
 * - `p..'presence:nodes'`: sorted set, node id → deadline (Redis server time, ms); a node
 *   whose deadline passed is dead;
 * - `p..'presence:node:'..node`: hash, user id → nickname, the users present on a node;
 * - `p..'presence:user:'..uid`: set of the nodes a user is present on;
 * - `p..'presence:online'`: hash, user id → nickname, exactly the users whose node set is
 *   not empty.
 * Every script takes ARGV: prefix, node (the caller), expiryMs, channel, timestamp, then
 * its own arguments. The caller passes one key, `p..'presence:nodes'`, so that a Redis
 * Cluster client sends the script to the node of that slot. When `channel` is not empty, each offline↔online change a script
 * makes is published there, inside the script, as a `user_joined` / `user_left` frame
 * stamped `timestamp`, in the fan-out wire form; that Lua is generated from the codec
 * (`presence-announcement.lua.ts`), never written by hand: announcements
 * reach every node in the order the changes happened, whichever nodes made them.
 * Every script that a node runs for itself also pushes its own deadline forward, and
 * answers whether the node had been declared dead (so that it re-registers its users).
 */

/** How a script publishes an announcement: `PUBLISH` on one Redis, `SPUBLISH` (shard channel) on a cluster. */
export type PublishCommand = 'PUBLISH' | 'SPUBLISH';

const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** What every script starts with: the names of its ARGV and keys, and `touch`. */
const PRELUDE_LUA = `
local p = ARGV[1]
local channel = ARGV[4]
local stamp = ARGV[5]
local nodes = p .. 'presence:nodes'
local online = p .. 'presence:online'
local function touch(node, expiryMs)
  ${NOW}
  local missing = redis.call('ZSCORE', nodes, node) == false
  redis.call('ZADD', nodes, now + expiryMs, node)
  return missing and 1 or 0
end
`;

/** One change at a time, each announced in a message of its own (resync and reap). */
const singleChangesLua = (publish: PublishCommand) => `
local function announce(kind, uid, nick)
  if channel == '' then return end
  redis.call('${publish}', channel, ${presenceAnnouncementLua({ kind: 'kind', uid: 'uid', nick: 'nick', stamp: 'stamp' })})
end
local function join(node, uid, nick)
  redis.call('HSET', p .. 'presence:node:' .. node, uid, nick)
  redis.call('SADD', p .. 'presence:user:' .. uid, node)
  local changed = redis.call('HSET', online, uid, nick)
  if changed == 1 then announce('user_joined', uid, nick) end
  return changed
end
local function leave(node, uid)
  local users = p .. 'presence:user:' .. uid
  redis.call('HDEL', p .. 'presence:node:' .. node, uid)
  redis.call('SREM', users, node)
  if redis.call('SCARD', users) > 0 then return 0 end
  local nick = redis.call('HGET', online, uid)
  if not nick then return 0 end
  redis.call('HDEL', online, uid)
  announce('user_left', uid, nick)
  return 1
end
`;

/**
 * Own ARGV: triples op, uid, nickname — op `+` (the user's first socket on the node
 * appeared) or `-` (the last one went; nickname empty) — applied in their order, as `join`
 * and `leave` would one after the other. Answers { per op 1 when it changed the
 * user's state cluster-wide, else 0; node was missing }. Each change is announced, in
 * order, and all of them in one message (`everyoneBatchLua`). What it costs Redis: per
 * op one SADD (a `+`) or one SREM and at most one SCARD (a `-`); per call one HMGET of
 * the batch's users, at most one HSET and one HDEL on each of the node's hash and the
 * online hash, one TIME, ZSCORE, ZADD and one PUBLISH — whatever the number of users
 * online.
 */
const batchLua = (publish: PublishCommand) => `
local node = ARGV[2]
local missing = touch(node, tonumber(ARGV[3]))
local ops = (#ARGV - 5) / 3
local uids, seen = {}, {}
for i = 0, ops - 1 do
  local uid = ARGV[7 + 3 * i]
  if not seen[uid] then seen[uid] = true table.insert(uids, uid) end
end
local before = redis.call('HMGET', online, unpack(uids))
local nick, was = {}, {}
for i, uid in ipairs(uids) do nick[uid] = before[i] was[uid] = before[i] end
local here = {}
local changed, frames = {}, {}
local function frame(kind, uid, name)
  table.insert(frames, ${presenceFrameLua({ kind: 'kind', uid: 'uid', nick: 'name', stamp: 'stamp' })})
end
for i = 0, ops - 1 do
  local op, uid, nk = ARGV[6 + 3 * i], ARGV[7 + 3 * i], ARGV[8 + 3 * i]
  local users = p .. 'presence:user:' .. uid
  changed[i + 1] = 0
  if op == '+' then
    redis.call('SADD', users, node)
    here[uid] = nk
    if not nick[uid] then changed[i + 1] = 1 frame('user_joined', uid, nk) end
    nick[uid] = nk
  else
    redis.call('SREM', users, node)
    here[uid] = false
    if nick[uid] and redis.call('SCARD', users) == 0 then
      changed[i + 1] = 1 frame('user_left', uid, nick[uid])
      nick[uid] = false
    end
  end
end
local nodeSet, nodeDel, onlineSet, onlineDel = {}, {}, {}, {}
for _, uid in ipairs(uids) do
  if here[uid] then table.insert(nodeSet, uid) table.insert(nodeSet, here[uid]) else table.insert(nodeDel, uid) end
  if nick[uid] and nick[uid] ~= was[uid] then table.insert(onlineSet, uid) table.insert(onlineSet, nick[uid]) end
  if not nick[uid] and was[uid] then table.insert(onlineDel, uid) end
end
local nodeKey = p .. 'presence:node:' .. node
if #nodeSet > 0 then redis.call('HSET', nodeKey, unpack(nodeSet)) end
if #nodeDel > 0 then redis.call('HDEL', nodeKey, unpack(nodeDel)) end
if #onlineSet > 0 then redis.call('HSET', online, unpack(onlineSet)) end
if #onlineDel > 0 then redis.call('HDEL', online, unpack(onlineDel)) end
if channel ~= '' and #frames > 0 then redis.call('${publish}', channel, ${everyoneBatchLua('frames')}) end
return { changed, missing }`;

/** No own ARGV → 1 when the node had been declared dead (or never registered). */
const HEARTBEAT_LUA = `
return touch(ARGV[2], tonumber(ARGV[3]))`;

/**
 * Own ARGV: drop (1: the node leaves for good), then uid, nickname pairs: the node's
 * present users. Makes the node's membership exactly that list and answers
 * { joined: uid, nick…, left: uid, nick… } — the users whose cluster-wide state it changed.
 */
const RESYNC_LUA = `
local node = ARGV[2]
if ARGV[6] == '1' then redis.call('ZREM', nodes, node) else touch(node, tonumber(ARGV[3])) end
local want = {}
for i = 7, #ARGV, 2 do want[ARGV[i]] = ARGV[i + 1] end
local current = redis.call('HGETALL', p .. 'presence:node:' .. node)
local have = {}
local joined, left = {}, {}
for i = 1, #current, 2 do
  local uid, nick = current[i], current[i + 1]
  have[uid] = true
  if want[uid] == nil and leave(node, uid) == 1 then
    table.insert(left, uid) table.insert(left, nick)
  end
end
for uid, nick in pairs(want) do
  if not have[uid] and join(node, uid, nick) == 1 then
    table.insert(joined, uid) table.insert(joined, nick)
  end
end
return { joined, left }`;

/**
 * Own ARGV: batch size. Removes up to a batch of nodes whose deadline passed (never the
 * caller) and their memberships, and answers uid, nickname pairs of the users that
 * thereby went offline. Atomic, so each dead node's users are answered (and announced)
 * exactly once.
 */
const REAP_LUA = `
${NOW}
local dead = redis.call('ZRANGEBYSCORE', nodes, '-inf', now, 'LIMIT', 0, tonumber(ARGV[6]))
local gone = {}
for _, node in ipairs(dead) do
  if node ~= ARGV[2] then
    redis.call('ZREM', nodes, node)
    local members = redis.call('HGETALL', p .. 'presence:node:' .. node)
    for i = 1, #members, 2 do
      if leave(node, members[i]) == 1 then
        table.insert(gone, members[i]) table.insert(gone, members[i + 1])
      end
    end
    redis.call('DEL', p .. 'presence:node:' .. node)
  end
end
return gone`;

/** The scripts of a store publishing with `publish`: the prelude, the single-change helpers where used, then its own. */
export function presenceScripts(publish: PublishCommand) {
  const common = PRELUDE_LUA + singleChangesLua(publish);
  return {
    batch: PRELUDE_LUA + batchLua(publish),
    heartbeat: PRELUDE_LUA + HEARTBEAT_LUA,
    resync: common + RESYNC_LUA,
    reap: common + REAP_LUA,
  };
}

/** The scripts on one Redis (`PUBLISH`). */
export const ONE_REDIS_SCRIPTS = presenceScripts('PUBLISH');
