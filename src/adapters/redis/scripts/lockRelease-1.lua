--[[
  Releases a lock, only by its owner (compare and delete).

  Input:
    KEYS[1] the lock
    ARGV[1] the owner's token

  Output: 1 released, 0 ARGV[1] no longer holds it (nothing deleted)
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
