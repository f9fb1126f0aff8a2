-- wrk script: the health check, reporting the same figures as contact.lua.
dofile("bench/api/report.lua")
