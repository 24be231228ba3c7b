--[[
  Counts one hit of a buy-class command and, when the hit is within the limit, takes the
  buyer's buy lock: one round trip for both.

  Input:
    KEYS[1] the counter of the window
    KEYS[2] the buy lock (lock:buy:{buyer})
    ARGV[1] the window's length, ms
    ARGV[2] the limit
    ARGV[3] the lock's owner token
    ARGV[4] the lock's expiry, ms

  Output: {count, ttl, lock, holder}
    count, ttl  as rateHit
    lock        -1 over the limit (no lock tried)
                 1 the lock taken for ARGV[3]
                 0 another owner holds it
    holder      that owner's token when lock is 0, '' otherwise
]]
--- @include "countHit"
if count > tonumber(ARGV[2]) then return {count, ttl, -1, ''} end
if redis.call('SET', KEYS[2], ARGV[3], 'NX', 'PX', ARGV[4]) then return {count, ttl, 1, ''} end
return {count, ttl, 0, redis.call('GET', KEYS[2]) or ''}
