--[[
  Counts one hit in a fixed rate-limit window.

  Input:
    KEYS[1] the counter of the window (rate:{kind}:{buyer})
    ARGV[1] the window's length, ms

  Output: {count, ttl}
    count  hits in this window, this one included
    ttl    ms until the window ends

  The first hit of a window sets its expiry: the counter never lives without it
  (includes/countHit.lua).
]]
--- @include "countHit"
return {count, ttl}
