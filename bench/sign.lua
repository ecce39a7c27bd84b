-- wrk script for bench/run.sh: POSTs the sign form with one browser's CSRF cookie and token
-- (CSRF, COOKIE from the environment) and a new address on every request.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  counter = 0
  headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrf=" .. os.getenv("COOKIE"),
  }
  form = "name=Load+Test&country=HK&display=full&csrf=" .. os.getenv("CSRF")
  stamp = os.time()
end
function request()
  counter = counter + 1
  local email = "load-" .. stamp .. "-" .. tid .. "-" .. counter .. "%40example.org"
  return wrk.format("POST", "/c/release-cai-guangye/sign", headers, form .. "&email=" .. email)
end
