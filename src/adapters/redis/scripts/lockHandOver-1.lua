--[[
  Passes a lock from its owner to a new owner, with a new expiry, in one step (the buy
  lock goes from the command to the order it placed).

  Input:
    KEYS[1] the lock
    ARGV[1] the current owner's token
    ARGV[2] the new owner's token
    ARGV[3] the new expiry, ms

  Output: 1 handed over, 0 ARGV[1] no longer holds it (expired, or another owner)
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
