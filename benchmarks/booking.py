"""W5: care request creation with capacity reservation.

prepare: gives each of Denver's windows 40 free places for the run (so the busiest fill up and refuse, and the
capacity check runs at its boundary) and prints a wrk Lua script that books them with Idempotency-Keys unique to
this run (a key seen before would replay its first answer, not book); count: prints the bookings so far;
check: records the bookings this run made and any overbooked window (there must be none)."""
import json
import sys
import requests
from common import station_query, token

denver = "3a7e0000-0000-4000-8000-000000000001"


def prepare_bodies(db, data):
    """Gives each of Denver's windows 40 free places and returns one booking body (JSON) per window."""
    station_query(db, data, "UPDATE markets SET capacity_per_window = 40 WHERE name = 'Denver'")
    station_query(db, data, f"UPDATE time_window_reservations SET capacity = booked + 40 WHERE market_id = "
                            f"{'UPPER' if db == 'sqlite' else ''}('{denver}'){'' if db == 'sqlite' else '::uuid'}")
    t = token(data)
    import datetime
    today = datetime.date.today()
    windows = requests.get(f"http://localhost:8082/v1/markets/{denver}/availability",
                           params={"from": today.isoformat(), "to": (today + datetime.timedelta(days=13)).isoformat()},
                           headers={"Authorization": f"Bearer {t}"}).json()
    patients = requests.get("http://localhost:8082/v1/partners/5a7e0000-0000-4000-8000-000000000001/patients",
                            params={"q": "whitfield"}, headers={"Authorization": f"Bearer {t}"}).json()["items"]
    lines = requests.get("http://localhost:8082/v1/service-lines", headers={"Authorization": f"Bearer {t}"}).json()
    bodies = []
    for w in windows:
        bodies.append(json.dumps({
            "partner_id": "5a7e0000-0000-4000-8000-000000000001", "patient_id": patients[0]["id"], "service_line_id": lines[0]["id"],
            "source": "express", "chief_complaint": "Benchmark booking",
            "visit_address": {"line1": "1600 Larimer St", "city": "Denver", "state": "CO", "zip": "80202"},
            "requester": {"name": "Bench", "phone": "3035550100"},
            "screening": {"questionnaire_version": "bench", "answers": {}, "outcome": "self_schedule", "reason_codes": []},
            "time_window": {"start": w["start"], "end": w["end"]}}))
    return bodies


def main():
    mode, db, data = sys.argv[1:4]
    if mode == "prepare":
        bodies = prepare_bodies(db, data)
        import uuid
        print("local bodies = {" + ",".join(json.dumps(b) for b in bodies) + "}")
        print(f'local run = "{uuid.uuid4().hex}"')
        print("""
local counter = 0
local thread_id = 0
setup = function(thread) thread:set("id", thread_id); thread_id = thread_id + 1 end
init = function() counter = 0 end
request = function()
  counter = counter + 1
  local body = bodies[(counter % #bodies) + 1]
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Content-Type"] = "application/json"
  headers["Idempotency-Key"] = "bench-" .. run .. "-" .. tostring(id) .. "-" .. tostring(counter)
  return wrk.format("POST", nil, headers, body)
end
""")
    elif mode == "count":
        print(station_query(db, data, "SELECT COUNT(*) FROM care_requests WHERE chief_complaint = 'Benchmark booking'")[0][0])
    else:
        results, size, before, seconds = sys.argv[4:8]
        over = station_query(db, data, "SELECT COUNT(*) FROM time_window_reservations WHERE booked > capacity")[0][0]
        booked = station_query(db, data, "SELECT COUNT(*) FROM care_requests WHERE chief_complaint = 'Benchmark booking'")[0][0]
        added = int(booked) - int(before)
        open(results, "a").write(json.dumps({"workload": "W5-check", "db": db, "size": int(size), "overbooked_windows": int(over),
                                             "bookings_total": int(booked), "bookings_added": added,
                                             "bookings_per_second": added / float(seconds)}) + "\n")
        print(f"W5 {db} {size}: {added} bookings in this run ({added / float(seconds):.0f}/s), {over} overbooked windows")


if __name__ == "__main__":
    main()
