-- wrk script: POST realistic AdmissionReviews (Services, NetworkPolicies, an Ingress), cycling
-- through the files named in the REVIEWS environment variable (space-separated paths).
local requests = {}

init = function(args)
  local headers = { ["Content-Type"] = "application/json" }
  for path in string.gmatch(os.getenv("REVIEWS") or "", "%S+") do
    local file = assert(io.open(path, "rb"))
    local body = file:read("*a")
    file:close()
    table.insert(requests, wrk.format("POST", "/validate", headers, body))
  end
  assert(#requests > 0, "REVIEWS names no file")
end

local next_request = 0
request = function()
  next_request = next_request % #requests + 1
  return requests[next_request]
end

local non_200 = 0
response = function(status, headers, body)
  if status ~= 200 then
    non_200 = non_200 + 1
  end
end
