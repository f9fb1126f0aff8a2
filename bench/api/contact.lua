-- wrk script: contact reveals spread over the seeded customers. 95% are repeats of a
-- creator the customer already contacted (the steady state), 5% a creator not yet
-- contacted. BENCH_SEED names a file of lines "token<TAB>slug,slug,…"; BENCH_CREATORS is
-- how many synthetic creators exist (slugs creator-0 … creator-N-1).
local customers = {}
local creators = tonumber(os.getenv("BENCH_CREATORS") or "1000")

function init(args)
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8), 16) or 0))
  for line in io.lines(os.getenv("BENCH_SEED")) do
    local token, slugs = line:match("^(%S+)\t(%S+)$")
    local list = {}
    for slug in slugs:gmatch("[^,]+") do list[#list + 1] = slug end
    customers[#customers + 1] = { token = token, slugs = list }
  end
end

function request()
  local customer = customers[math.random(#customers)]
  local slug
  if math.random(100) <= 5 then
    slug = "creator-" .. math.random(0, creators - 1)
  else
    slug = customer.slugs[math.random(#customer.slugs)]
  end
  return wrk.format("POST", "/api/v1/creators/" .. slug .. "/contact",
    { ["Authorization"] = "Bearer " .. customer.token, ["Content-Type"] = "application/json" }, "{}")
end

dofile("bench/api/report.lua")
