"""W4: handoff push and redeem.

prepare: signs scheduler@sunrise.example in to Express and, through single sign-on, to OSS; then prints a wrk Lua script
that alternates Express's machine push of a handoff (POST /v1/handoffs with express-m2m's token) and the user's
redemption of a pushed handle (POST /partner/start with the OSS session and its CSRF token), against OSS.
count: prints "pushed,redeemed", the handoffs in OSS's database so far."""
import json
import os
import re
import sqlite3
import subprocess
import sys
from html import unescape
import requests
from common import token

mode, db, data = sys.argv[1:4]
express, oss = "http://localhost:8080", "http://localhost:8081"
partner = "5a7e0000-0000-4000-8000-000000000001"
return_url = express + "/care-requests"

def query(service, sql):
    if db == "sqlite":
        with sqlite3.connect(os.path.join(data, f"{service}.sqlite")) as conn:
            return [tuple(str(v) for v in row) for row in conn.execute(sql).fetchall()]
    out = subprocess.run(["psql", os.environ[f"{service.upper()}_DATABASE_URL"], "-AtF", "\t", "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return [tuple(line.split("\t")) for line in out.splitlines() if line]


if mode == "count":
    print(",".join(query("oss", "SELECT count(*), count(redeemed_at) FROM handoffs")[0]))
    sys.exit(0)

user = query("express", "SELECT id FROM users WHERE email = 'scheduler@sunrise.example'")[0][0].lower()
push_token = token(data, scope="oss.handoffs.create", client="express-m2m", audience="oss")
body = json.dumps({"partner_id": partner, "user_id": user, "return_url": return_url})

# Sign in to Express, then follow one real handoff into OSS: that signs the user in to OSS by SSO.
s = requests.Session()
page = s.get(express + "/care-requests")
form = {n: unescape(v) for n, v in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text)}
action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
form.update(email="scheduler@sunrise.example", password="selfsched-demo")
s.post("http://localhost:8083" + action, data=form)
first = requests.post(oss + "/v1/handoffs", data=body,
                      headers={"Authorization": f"Bearer {push_token}", "Content-Type": "application/json"}).json()
start = s.get(first["start_url"] if first["start_url"].startswith("http") else oss + first["start_url"])
csrf = re.search(r'name="csrf"[^>]*value="([^"]+)"', start.text) or re.search(r'value="([^"]+)"[^>]*name="csrf"', start.text)
cookie = s.cookies.get("oss_partner_session")
if not csrf or not cookie:
    sys.exit(f"W4: could not sign in to OSS through the handoff (status {start.status_code} at {start.url})")

print(f"""
local push_body = {json.dumps(body)}
local push_headers = {{["Authorization"] = "Bearer {push_token}", ["Content-Type"] = "application/json"}}
local redeem_headers = {{["Cookie"] = "oss_partner_session={cookie}", ["Content-Type"] = "application/x-www-form-urlencoded"}}
local csrf = "{unescape(csrf.group(1))}"
local handles = {{}}

local function urlencode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

-- Redeem a pushed handle when one is waiting, push a new one otherwise.
request = function()
  local handle = table.remove(handles)
  if handle then
    return wrk.format("POST", "/partner/start", redeem_headers, "handoff=" .. urlencode(handle) .. "&csrf=" .. urlencode(csrf))
  end
  return wrk.format("POST", "/v1/handoffs", push_headers, push_body)
end

response = function(status, headers, body)
  local handle = body:match('"handoff"%s*:%s*"([^"]+)"')
  if handle then table.insert(handles, handle) end
end
""")
