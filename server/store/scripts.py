"""The Lua scripts behind ``RedisStore``. Each runs atomically on the node owning the
room's hash slot; all keys a script touches are passed in KEYS (one slot, thanks to
the hash tag). The state blob stays opaque: scripts compare the version field and copy
the blob, never decode it (Redis 7.0's Lua msgpack rejects msgpack bin values).

KEYS, always in this order: state, log, secrets, presence (``RoomKeys.all()``).
"""

from __future__ import annotations

# A token bucket for a per-address limit, on Redis's own clock (one for every instance).
# KEYS: the bucket. ARGV: tokens per second, burst, "1" to spend a token. Returns 1 when
# a token is there (spent if asked), else 0. Only a spend writes; the key expires when
# the bucket would be full again.
TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local held = redis.call('HMGET', KEYS[1], 'l', 's')
local level = tonumber(held[1]) or burst
local stamp = tonumber(held[2]) or now
level = math.min(burst, level + (now - stamp) * rate)
if level < 1 then return 0 end
if ARGV[3] == '1' then
  level = level - 1
  redis.call('HSET', KEYS[1], 'l', tostring(level), 's', tostring(now))
  redis.call('PEXPIRE', KEYS[1], math.ceil((burst - level) / rate * 1000) + 1000)
end
return 1
"""

# ARGV: version, blob, ttl_ms, then secret field/value pairs.
# A room id reused after expiry must not inherit the old room's secrets or presence,
# so those keys are cleared. Returns 1 when the room is ours (created now, or by our
# own earlier attempt whose reply was lost and retried), 0 when the id is taken.
# The first write is the state's HSET: Redis checks maxmemory at a script's first write
# only, so a DEL first let a room be made at maxmemory (OOM now: nothing written).
CREATE = """
local cur = redis.call('HMGET', KEYS[1], 'v', 'b')
if cur[1] then
  if cur[1] == ARGV[1] and cur[2] == ARGV[2] then return 1 end
  return 0
end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'b', ARGV[2])
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if #ARGV > 3 then
  redis.call('HSET', KEYS[3], unpack(ARGV, 4))
  redis.call('PEXPIRE', KEYS[3], ARGV[3])
end
return 1
"""

# ARGV: expected, new version, blob, record, ttl_ms, log limit, channel, frame head,
# "alone" ("1": publish only if the channel has another subscriber than the caller).
# The log entry is "<expected>:<new>:<record>" (see records.encode_entry). A retry of a
# commit that did apply (lost reply) finds its own entry last and its own state stored,
# and answers 1 again without writing twice; another writer's commit with the same
# record but another state answers 0. The published frame is the head
# (bus.commit_head: instance tag, room id, version, blob size), the blob, then the
# record: every instance holding a seat of the room gets the new state without loading
# it. An instance alone on the channel would only get its own frame back (it delivers
# its commits in-process).
# Then, optionally, secrets written with the state (a seat and its token): ARGV[10] is
# the number n of fields to set, ARGV[11..10+2n] their field/value pairs, and any
# ARGV after those are fields to delete. KEYS: state, log, secrets, presence.
# Expiry: the four keys' expiry is refreshed when now + ttl is more than REFRESH_SLACK_MS
# past the deadline the state hash remembers ('e', on Redis's clock): about once a
# minute in a busy room; and at once when it is earlier (an ended room's ttl is shorter).
# A busy room's keys so expire at most a minute before "ttl after its last move", and a
# move costs six commands here instead of ten (a log or secrets key this commit creates
# is given its expiry at once).
REFRESH_SLACK_MS = 60_000
COMMIT = """
local got = redis.call('HMGET', KEYS[1], 'v', 'e')
local cur = got[1]
local entry = ARGV[1] .. ':' .. ARGV[2] .. ':' .. ARGV[4]
if cur ~= ARGV[1] then
  if cur == ARGV[2] and redis.call('LINDEX', KEYS[2], -1) == entry
      and redis.call('HGET', KEYS[1], 'b') == ARGV[3] then
    return 1
  end
  return 0
end
local t = redis.call('TIME')
local ttl = tonumber(ARGV[5])
local deadline = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + ttl
local known = tonumber(got[2]) or 0
local refresh = deadline > known + SLACK_MS or deadline < known - 1000
if refresh then
  redis.call('HSET', KEYS[1], 'v', ARGV[2], 'b', ARGV[3], 'e', string.format('%d', deadline))
else
  redis.call('HSET', KEYS[1], 'v', ARGV[2], 'b', ARGV[3])
end
local sets = tonumber(ARGV[10] or '0')
for i = 11, 10 + 2 * sets, 2 do redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]) end
for i = 11 + 2 * sets, #ARGV do redis.call('HDEL', KEYS[3], ARGV[i]) end
local n = redis.call('RPUSH', KEYS[2], entry)
local limit = tonumber(ARGV[6])
if n > limit then redis.call('LTRIM', KEYS[2], -limit, -1) end
if refresh then
  for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ttl) end
else
  if n == 1 then redis.call('PEXPIRE', KEYS[2], ttl) end
  if sets > 0 and redis.call('PTTL', KEYS[3]) < 0 then redis.call('PEXPIRE', KEYS[3], ttl) end
end
if ARGV[9] ~= '1' or redis.call('PUBSUB', 'NUMSUB', ARGV[7])[2] > 1 then
  redis.call('PUBLISH', ARGV[7], ARGV[8] .. ARGV[3] .. ARGV[4])
end
return 1
""".replace("SLACK_MS", str(REFRESH_SLACK_MS))

# Returns false when the room does not exist, else {version, {entries...}}.
RECORDS = """
local cur = redis.call('HGET', KEYS[1], 'v')
if not cur then return false end
return {cur, redis.call('LRANGE', KEYS[2], 0, -1)}
"""

# KEYS: secrets. ARGV: field, ttl_ms, [value]. Without a value the field is deleted.
# The expiry only ever grows here: a short-lived secret (a knock) must not take the
# seat tokens down with it. Only a commit (an ended room) shortens a room's life.
SECRET = """
if #ARGV < 3 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
local ttl = tonumber(ARGV[2])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
"""

# Each seat's entry carries its own deadline ("1:<ms>" or "0:<ms>", Redis clock) so a
# seat whose server died goes away on time although it shares the hash with its
# partner; the key itself lives as long as its longest entry (or the room, after a
# commit). KEYS: presence. ARGV: seat, "1" or "0", ttl_ms.
SET_PRESENCE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[3])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. string.format('%d', now + ttl))
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
"""

# KEYS: presence. Returns a flat list seat, online ("1"/"0") of unexpired entries.
PRESENCE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local all = redis.call('HGETALL', KEYS[1])
local out = {}
for i = 1, #all, 2 do
  local online, deadline = string.match(all[i + 1], '^(%d):(%d+)$')
  if deadline and tonumber(deadline) > now then
    out[#out + 1] = all[i]
    out[#out + 1] = online
  end
end
return out
"""
