"""Prints the id of the partner with the most care requests."""
import sys
from common import station_query

db, data = sys.argv[1:3]
rows = station_query(db, data, "SELECT partner_id, COUNT(*) AS n FROM care_requests GROUP BY partner_id ORDER BY n DESC LIMIT 1")
print(str(rows[0][0]).lower())
