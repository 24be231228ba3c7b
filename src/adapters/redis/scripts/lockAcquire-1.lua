--[[
  Takes a lock when it is free.

  Input:
    KEYS[1] the lock
    ARGV[1] the owner token
    ARGV[2] the expiry, ms

  Output: {taken, holder}
    taken   1 taken for ARGV[1], 0 held by another owner
    holder  that owner's token when taken is 0, '' otherwise
]]
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1, ''} end
return {0, redis.call('GET', KEYS[1]) or ''}
