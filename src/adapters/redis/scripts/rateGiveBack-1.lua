--[[
  Gives one hit of a rate-limit window back (a command refused before it changed anything
  does not count against the limit).

  Input:
    KEYS[1] the counter of the window

  Output: the count left in the window, or -1 when the window is gone (nothing to give back:
  a new window starts from zero anyway)
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local count = redis.call('DECR', KEYS[1])
if count < 0 then
  redis.call('SET', KEYS[1], 0, 'KEEPTTL')
  return 0
end
return count
