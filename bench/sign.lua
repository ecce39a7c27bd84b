-- wrk script for bench/run.sh: POSTs the sign form with its token (CSRF from the environment:
-- bound to the form, not to a browser, so no cookie) and a new address on every request.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  counter = 0
  headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  form = "name=Load+Test&country=HK&display=full&csrf=" .. os.getenv("CSRF") .. (os.getenv("PRIVATE_FIELDS") or "")
  stamp = os.time()
end
function request()
  counter = counter + 1
  local email = "load-" .. stamp .. "-" .. tid .. "-" .. counter .. "%40example.org"
  return wrk.format("POST", "/c/release-cai-guangye/sign", headers, form .. "&email=" .. email)
end
