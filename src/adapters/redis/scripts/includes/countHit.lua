--[[
  Counts one hit in the fixed window KEYS[1] (ARGV[1] its length, ms): sets `count` and
  `ttl`. The first hit of a window sets its expiry: the counter never lives without it.
]]
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
