-- wrk script for bench/run.sh: POSTs each confirmation link in the file LINKS once, with one
-- browser's CSRF cookie and token (CSRF, COOKIE); a thread stops when its share is done.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  links, position, n = {}, 0, 0
  local i = 0
  for line in io.lines(os.getenv("LINKS")) do
    if i % 2 == tid - 1 then
      n = n + 1
      links[n] = line
    end
    i = i + 1
  end
  headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrf=" .. os.getenv("COOKIE"),
  }
  form = "csrf=" .. os.getenv("CSRF")
end
function request()
  position = position + 1
  return wrk.format("POST", links[math.min(position, n)], headers, form)
end
function response(status, headers, body)
  if position >= n then
    wrk.thread:stop()
  end
end
