"""Routing side by side on generated home-visit days: our dispatch planner (plan-routes), PyVRP and OR-Tools'
routing solver, the same travel times, the same time limit and two cores each.

  routing_days.py <plan-routes binary> <seconds> <work dir> <results.json> [sizes…]

A day is shaped like ours (see `generate`): one metro market, visits at homes and at senior-living facilities
(several patients at one address), two-hour windows from the slot grid patients are offered, a visit length per
service line, care teams (one per 20 visits: 10, 25 and 50 teams for 200, 500 and 1,000 visits) on two shifts
from three bases, each delivering some of the service lines. Travel times are great-circle distance x 1.3 at
40 km/h, in whole seconds, written once into the day's file so that every solver plans on exactly the same matrix.

What every solver minimises: visits left unserved first (each carries a penalty larger than any detour), then
total travel time. Windows, shifts and service lines are hard constraints for all three:
- ours reads the day file as it is;
- PyVRP (no skills of its own) gets one load dimension per service line: a visit delivers 1 in its line's
  dimension, a team has room for every visit in its lines and none in the others; visits are optional with a prize;
- OR-Tools gets the allowed vehicles per visit, a time dimension with each team's shift, and a disjunction with a
  penalty per visit.
Each answer is checked here, apart from the solvers, against the day file: every visit at most once, by a team
delivering its line, started inside its window, the team out no earlier than its shift and back by its end, travel
summed from the matrix. Figures only: nothing here passes or fails."""
import json
import math
import multiprocessing
import os
import random
import subprocess
import sys
import time

CENTRE = (39.7392, -104.9903)  # Denver: any metro would do; the shape, not the place, matters
RADIUS_KM = 15.0
ROAD_FACTOR, SPEED_KMH = 1.3, 40.0
HOUR = 3600
SLOTS = [8, 10, 12, 14, 16]  # two-hour windows offered to patients, opening at these hours
LINES = {  # service line: (share of visits, minutes)
    "acute": (0.35, 30), "primary": (0.25, 25), "lab": (0.25, 10), "wound": (0.15, 20),
}
SHIFTS = [(7 * HOUR, 18 * HOUR), (9 * HOUR, 20 * HOUR)]  # eleven-hour shifts, early and late


def offset(rng, centre, km):
    """A point within `km` of `centre`, uniform over the disc."""
    r, a = km * math.sqrt(rng.random()), rng.random() * 2 * math.pi
    lat = centre[0] + (r * math.cos(a)) / 111.32
    lon = centre[1] + (r * math.sin(a)) / (111.32 * math.cos(math.radians(centre[0])))
    return lat, lon


def great_circle_km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def generate(size, busy=True):
    """A day of `size` visits; the same size always gives the same day. A busy day has more work than its teams'
    shifts hold, so that some visits cannot be served; a quiet one has the same visits, shorter by a third, so that
    every solver can serve them all and travel times compare like for like."""
    rng = random.Random(size)
    scale = 1.0 if busy else 2 / 3
    places = [offset(rng, CENTRE, RADIUS_KM * 0.5) for _ in range(3)]  # the three bases
    facilities = [offset(rng, CENTRE, RADIUS_KM) for _ in range(max(3, size // 40))]
    facility_places = {}
    visits = []
    names, shares = list(LINES), [share for share, _ in LINES.values()]
    for number in range(size):
        if rng.random() < 0.3:  # a resident of a senior-living facility: the facility's own address
            facility = rng.randrange(len(facilities))
            if facility not in facility_places:
                facility_places[facility] = len(places)
                places.append(facilities[facility])
            location = facility_places[facility]
        else:
            location = len(places)
            places.append(offset(rng, CENTRE, RADIUS_KM))
        line = rng.choices(names, shares)[0]
        opens = rng.choice(SLOTS) * HOUR
        visits.append({"id": f"v{number + 1}", "location": location, "window": [opens, opens + 2 * HOUR],
                       "duration": round(LINES[line][1] * 60 * scale), "service_line": line})
    teams = []
    for number in range(max(1, size // 20)):
        lines = {"lab"} | set(rng.sample(["acute", "primary", "wound"], rng.choice([1, 2, 3])))
        teams.append({"id": f"t{number + 1}", "base": number % 3, "shift": list(SHIFTS[number % 2]),
                      "service_lines": sorted(lines)})
    travel = [[0 if a == b else round(great_circle_km(pa, pb) * ROAD_FACTOR / SPEED_KMH * HOUR)
               for b, pb in enumerate(places)] for a, pa in enumerate(places)]
    return {"visits": visits, "teams": teams, "travel": travel}


def check(day, routes):
    """routes: {team id: [visit ids]}. Returns (travel, served, lateness, problems)."""
    visits = {v["id"]: v for v in day["visits"]}
    teams = {t["id"]: t for t in day["teams"]}
    travel = day["travel"]
    problems, seen, total, lateness = [], set(), 0, 0
    for team_id, route in routes.items():
        team = teams[team_id]
        clock, place = team["shift"][0], team["base"]
        for visit_id in route:
            visit = visits[visit_id]
            if visit_id in seen:
                problems.append(f"{visit_id} served twice")
            seen.add(visit_id)
            if visit["service_line"] not in team["service_lines"]:
                problems.append(f"{visit_id} by {team_id}, which does not deliver {visit['service_line']}")
            leg = travel[place][visit["location"]]
            total += leg
            start = max(clock + leg, visit["window"][0])
            lateness += max(0, start - visit["window"][1])
            clock, place = start + visit["duration"], visit["location"]
        total += travel[place][team["base"]]
        if clock + travel[place][team["base"]] > team["shift"][1] + 1e-6:
            problems.append(f"{team_id} back after its shift")
    if lateness > 0:
        problems.append(f"{lateness:.0f} s late in all")
    return total, len(seen), lateness, problems


def run_ours(binary, path, seconds, hold_out):
    command = [binary, path, "--seconds", str(seconds), "--workers", "2"]
    if hold_out:
        command += ["--hold-out", str(hold_out)]
    answer = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    timings = {"added": answer.get("insertions"), "following": answer.get("following_accepted")}
    return {route["team"]: route["visits"] for route in answer["routes"]}, timings


def penalty(day):
    """More than any one visit's detour can add: serving a visit always beats travel saved."""
    return 2 * max(max(row) for row in day["travel"]) + 1


def pyvrp_search(args):
    path, seconds, seed = args
    import numpy as np
    from pyvrp import Client, Depot, Location, ProblemData, VehicleType, solve
    from pyvrp.stop import MaxRuntime
    day = json.load(open(path))
    lines = sorted({v["service_line"] for v in day["visits"]})
    locations = [Location(x=0, y=0) for _ in day["travel"]]  # the matrix, not coordinates, gives the times
    bases = sorted({t["base"] for t in day["teams"]})
    depots = [Depot(location=base) for base in bases]
    prize = penalty(day)
    clients = [Client(location=v["location"], delivery=[int(v["service_line"] == line) for line in lines],
                      service_duration=v["duration"], tw_early=v["window"][0], tw_late=v["window"][1],
                      prize=prize, required=False, name=v["id"]) for v in day["visits"]]
    room = len(day["visits"])
    vehicle_types = [VehicleType(num_available=1, capacity=[room if line in t["service_lines"] else 0 for line in lines],
                                 start_depot=bases.index(t["base"]), end_depot=bases.index(t["base"]),
                                 tw_early=t["shift"][0], tw_late=t["shift"][1], name=t["id"]) for t in day["teams"]]
    matrix = np.array(day["travel"], dtype=np.int64)
    data = ProblemData(locations, clients, depots, vehicle_types, [matrix], [matrix])
    result = solve(data, stop=MaxRuntime(seconds), seed=seed, display=False)
    routes = {}
    for route in result.best.routes():
        team = day["teams"][route.vehicle_type()]["id"]
        routes[team] = [day["visits"][activity.idx]["id"] for activity in route if activity.is_client()]
    return routes


def ortools_search(args):
    path, seconds, strategy = args
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2
    day = json.load(open(path))
    visits, teams, travel = day["visits"], day["teams"], day["travel"]
    # Nodes: the bases, then one node per visit (several visits can share a place).
    bases = sorted({t["base"] for t in teams})
    node_place = bases + [v["location"] for v in visits]
    service = [0] * len(bases) + [v["duration"] for v in visits]
    n = len(node_place)
    cost = [[travel[node_place[a]][node_place[b]] for b in range(n)] for a in range(n)]
    timing = [[cost[a][b] + service[a] for b in range(n)] for a in range(n)]
    starts = [bases.index(t["base"]) for t in teams]
    manager = pywrapcp.RoutingIndexManager(n, len(teams), starts, starts)
    routing = pywrapcp.RoutingModel(manager)
    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(cost))
    day_end = 24 * 3600
    routing.AddDimension(routing.RegisterTransitMatrix(timing), day_end, day_end, False, "time")
    dimension = routing.GetDimensionOrDie("time")
    prize = penalty(day)
    for number, visit in enumerate(visits):
        index = manager.NodeToIndex(len(bases) + number)
        dimension.CumulVar(index).SetRange(visit["window"][0], visit["window"][1])
        routing.AddDisjunction([index], prize)
        # The teams that deliver the visit's line, or none (-1) when it is left unserved.
        routing.VehicleVar(index).SetValues(
            [-1] + [k for k, t in enumerate(teams) if visit["service_line"] in t["service_lines"]])
    for k, team in enumerate(teams):
        dimension.CumulVar(routing.Start(k)).SetRange(team["shift"][0], team["shift"][1])
        dimension.CumulVar(routing.End(k)).SetRange(team["shift"][0], team["shift"][1])
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, strategy)
    parameters.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    parameters.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(parameters)
    if solution is None:
        return None
    routes = {}
    for k, team in enumerate(teams):
        index, route = solution.Value(routing.NextVar(routing.Start(k))), []
        while not routing.IsEnd(index):
            route.append(visits[manager.IndexToNode(index) - len(bases)]["id"])
            index = solution.Value(routing.NextVar(index))
        if route:
            routes[team["id"]] = route
    return routes


def best_of(day, candidates):
    """The better of the answers: feasible first, then most served, then least travel."""
    checked = [check(day, routes) for routes in candidates if routes is not None]
    checked.sort(key=lambda c: (len(c[3]) > 0, -c[1], c[0]))
    return checked[0] if checked else (math.nan, 0, 0, ["no solution"])


def main():
    binary, seconds, work, results = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
    sizes = [int(s) for s in sys.argv[5:]] or [200, 500, 1000]
    rows = []
    with multiprocessing.Pool(2) as pool:
        for busy in (False, True):
            for size in sizes:
                day = generate(size, busy)
                kind = "busy" if busy else "quiet"
                path = os.path.join(work, f"day-{kind}-{size}.json")
                json.dump(day, open(path, "w"))
                started = time.monotonic()
                ours, _ = run_ours(binary, path, seconds, 0)
                row = {"day": kind, "size": size, "teams": len(day["teams"]), "seconds": seconds,
                       "ours": check(day, ours)}
                row["pyvrp"] = best_of(day, pool.map(pyvrp_search, [(path, seconds, 1), (path, seconds, 2)]))
                row["ortools"] = best_of(day, pool.map(ortools_search, [
                    (path, seconds, "PATH_CHEAPEST_ARC"), (path, seconds, "PARALLEL_CHEAPEST_INSERTION")]))
                # Booking as it happens: the planner plans the day without its last 50 visits, then adds them
                # one by one into the plan, as requests booked during the day are.
                _, row["insertions"] = run_ours(binary, path, seconds, 50)
                rows.append(row)
                print(f"{kind} day of {size} visits: done in {time.monotonic() - started:.0f} s", file=sys.stderr)
    json.dump(rows, open(results, "w"), indent=1)

    def minutes(seconds_):
        return f"{seconds_ / 60:,.0f} min"

    def cell(result):
        travel, served, lateness, problems = result
        text = f"{minutes(travel)} · {served} served" if not math.isnan(travel) else "none"
        return text + (" INFEASIBLE" if problems else "")

    late = sum(row[solver][2] for row in rows for solver in ("ours", "pyvrp", "ortools")
               if not math.isnan(row[solver][0]))
    print(f"\n## Generated home-visit days, {seconds:g} s per solver and day, two cores each")
    print("Travel time of all teams and visits served; unserved visits weigh more than any travel. "
          + ("Lateness, recomputed for every answer, is 0 for all of them: windows are hard for all three solvers.\n"
             if late == 0 else f"Lateness, recomputed: {late:.0f} s in all (see the answers).\n"))
    print("| day | visits (teams) | ours | PyVRP | OR-Tools | ours vs PyVRP (travel) | ours vs OR-Tools (travel) |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        ours = row["ours"]

        def gap(other):
            if math.isnan(other[0]):
                return "–"
            note = "" if other[1] == ours[1] else f" ({ours[1] - other[1]:+d} served)"
            return f"{100 * (ours[0] - other[0]) / other[0]:+.2f} %{note}"
        print(f"| {row['day']} | {row['size']} ({row['teams']}) | {cell(ours)} | {cell(row['pyvrp'])} | {cell(row['ortools'])} | "
              f"{gap(row['pyvrp'])} | {gap(row['ortools'])} |")
    print("\n## Adding a booked visit to the day's plan (ours): the day planned without its last 50 visits, "
          "then each added")
    print("*Added*: placed into the plan where it adds least travel (`DispatchPlanner.add`). *Following accepted "
          "routes*: what Station does for a booking on a day a dispatcher accepted, the whole day rebuilt around the "
          "routes it follows with the new visit placed, and the plan read (`DispatchPlanner(problem:following:)`).\n")
    print("| day | visits (teams) | added: median | 95th percentile | slowest | placed | following accepted routes: median | 95th percentile | slowest | placed |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")

    def timing_cells(timing):
        if not timing:
            return "– | – | – | –"
        return (f"{timing['median_ms']:.2f} ms | {timing['p95_ms']:.2f} ms | {timing['max_ms']:.2f} ms | "
                f"{timing['placed']} of {timing['added']}")
    for row in rows:
        timings = row["insertions"] or {}
        if timings.get("added") or timings.get("following"):
            print(f"| {row['day']} | {row['size']} ({row['teams']}) | {timing_cells(timings.get('added'))} | "
                  f"{timing_cells(timings.get('following'))} |")
    for row in rows:
        for solver in ("ours", "pyvrp", "ortools"):
            for problem in row[solver][3][:3]:
                print(f"{row['day']} {row['size']} {solver}: {problem}", file=sys.stderr)


if __name__ == "__main__":
    main()
