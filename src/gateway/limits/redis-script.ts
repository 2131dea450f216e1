// The Lua that RedisCounterStore runs: one script per consume, so reading, deciding and counting
// happen atomically on the Redis server, with the time taken from Redis itself.
import { createHash } from 'node:crypto';

/**
 * `window_of(period, now)`: the [start, end) of the window holding `now` (epoch ms), exactly as
 * `windowOf` in store.ts computes it; end is -1 for eternity. Months and years are UTC calendar
 * months and years; the civil-date conversions are H. Hinnant's (proleptic Gregorian), since Redis
 * Lua has no date library.
 */
export const windowOfLua = `
local fixed = { second = 1000, minute = 60000, hour = 3600000, day = 86400000 }

local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local doy = math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

local function civil_from_days(z)
  z = z + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return y, m
end

local function window_of(period, now)
  local length = fixed[period]
  if length then
    local start = now - now % length
    return start, start + length
  end
  if period == 'eternity' then return 0, -1 end
  local y, m = civil_from_days(math.floor(now / 86400000))
  if period == 'year' then
    return days_from_civil(y, 1, 1) * 86400000, days_from_civil(y + 1, 1, 1) * 86400000
  end
  if period ~= 'month' then error('unknown period ' .. tostring(period)) end
  local next_y, next_m = y, m + 1
  if next_m == 13 then next_y, next_m = y + 1, 1 end
  return days_from_civil(y, m, 1) * 86400000, days_from_civil(next_y, next_m, 1) * 86400000
end
`;

/**
 * KEYS[i]: prefix .. key .. ':' .. period of check i; the window start is appended here, because
 * only the script knows the time.
 * ARGV: units, a test clock in ms or '' (then Redis TIME), the expiry margin in ms, then
 * period and max of each check.
 * Returns { allowed (1|0), now, then used and window end (-1: eternity) of each check }.
 */
export const consumeLua = `${windowOfLua}
local units = tonumber(ARGV[1])
local now
if ARGV[2] ~= '' then
  now = tonumber(ARGV[2])
else
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
local margin = tonumber(ARGV[3])

local names, used, ends, allowed = {}, {}, {}, 1
for i = 1, #KEYS do
  local start, finish = window_of(ARGV[2 + 2 * i], now)
  names[i] = KEYS[i] .. ':' .. string.format('%.0f', start)
  used[i] = tonumber(redis.call('GET', names[i]) or '0')
  ends[i] = finish
  if used[i] + units > tonumber(ARGV[3 + 2 * i]) then allowed = 0 end
end

-- Count only when every check had room; a counter listed twice is counted once.
if allowed == 1 and units > 0 then
  local counted = {}
  for i = 1, #KEYS do
    if not counted[names[i]] then
      counted[names[i]] = true
      redis.call('INCRBY', names[i], ARGV[1])
      -- Relative to the script's own clock: the same instant as PEXPIREAT at the window end,
      -- and still in the future when a test clock is set.
      if ends[i] >= 0 then redis.call('PEXPIRE', names[i], ends[i] - now + margin) end
    end
    used[i] = used[i] + units
  end
end

local reply = { allowed, now }
for i = 1, #KEYS do
  reply[#reply + 1] = used[i]
  reply[#reply + 1] = ends[i]
end
return reply
`;

export const consumeSha = createHash('sha1').update(consumeLua).digest('hex');
