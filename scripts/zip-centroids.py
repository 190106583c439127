"""Writes Sources/DispatchPlanning/Resources/zip-centroids.csv: the centroid of every ZIP code of the states whose
markets we serve, from the `zipcodes` package on PyPI (github.com/seanpianka/zipcodes, MIT; its data is the public
USPS and US Census ZIP code lists with their coordinates). The dispatch planner places every address at its ZIP
code's centroid with a small offset of its own.

  python3 -m pip install zipcodes && python3 scripts/zip-centroids.py CO AZ NV
"""
import os
import sys

import zipcodes

states = sys.argv[1:] or ["CO", "AZ", "NV"]
rows = sorted(
    (z["zip_code"], float(z["lat"]), float(z["long"]))
    for state in states for z in zipcodes.filter_by(state=state) if z.get("lat") and z.get("long"))
path = os.path.join(os.path.dirname(__file__), "..", "Sources", "DispatchPlanning", "Resources", "zip-centroids.csv")
with open(path, "w") as out:
    out.write(f"# ZIP code centroids of {', '.join(states)}, from the zipcodes package (PyPI); scripts/zip-centroids.py\n")
    out.write("zip,latitude,longitude\n")
    for zip_code, lat, lon in rows:
        out.write(f"{zip_code},{lat:.4f},{lon:.4f}\n")
print(f"{len(rows)} ZIP codes written to {os.path.normpath(path)}")
