-- wrk script of the load harness's interleaved run: each thread sends /bench/plain and
-- /bench/managed in turn, so that the two endpoints share every moment of the run.
local paths = { "/bench/plain", "/bench/managed" }
local sent = 0

request = function()
    sent = sent + 1
    return wrk.format("GET", paths[sent % 2 + 1])
end
