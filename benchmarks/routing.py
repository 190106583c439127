"""Routing side by side: our dispatch planner (plan-routes), PyVRP and OR-Tools' routing solver on the Solomon
VRPTW instances in benchmarks/data/solomon, with the same time limit and the same two cores each.

  routing.py <plan-routes binary> <seconds> <results.json> [instance names…]

Every solver minimises total distance (none is given a cost per vehicle). Each answer is checked here, apart from
the solvers, with exact (unrounded) Euclidean distances: every customer once, capacity, every service inside its
window, back at the depot before it closes. PyVRP and OR-Tools need integer times, so they plan on distances scaled
by 1,000 (PyVRP's "exact" rounding) and 100 (OR-Tools, times rounded up so that their plans stay feasible
unrounded); their distance is recomputed here like ours. Each of them runs two searches side by side (seeds or
first-solution strategies) and keeps the better, as our planner does with its two workers.
Figures only: nothing here passes or fails."""
import csv
import json
import math
import multiprocessing
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "solomon")


def read_vrplib(path):
    header, sections, section = {}, {}, None
    for raw in open(path):
        line = raw.strip()
        if not line or line == "EOF":
            continue
        if line.endswith("_SECTION"):
            section = line
            sections[section] = []
        elif section and (line[0].isdigit() or line[0] == "-"):
            numbers = [float(x) for x in line.split()]
            if numbers[0] != -1:
                sections[section].append(numbers)
        else:
            key, _, value = line.partition(":")
            header[key.strip()] = value.strip()
            section = None
    coords = [(r[1], r[2]) for r in sections["NODE_COORD_SECTION"]]
    n = len(coords)
    service = ([r[1] for r in sections["SERVICE_TIME_SECTION"]] if "SERVICE_TIME_SECTION" in sections
               else [float(header.get("SERVICE_TIME", 0))] * n)
    service[0] = 0.0
    return {
        "name": header["NAME"], "coords": coords, "demand": [int(r[1]) for r in sections["DEMAND_SECTION"]],
        "windows": [(r[1], r[2]) for r in sections["TIME_WINDOW_SECTION"]], "service": service,
        "vehicles": int(header["VEHICLES"]), "capacity": int(header["CAPACITY"]),
    }


def distance(instance, a, b):
    (x1, y1), (x2, y2) = instance["coords"][a], instance["coords"][b]
    return math.hypot(x1 - x2, y1 - y2)


def check(instance, routes):
    """routes: lists of 0-based node indices (depot 0 left out). Returns (distance, vehicles, problems)."""
    problems, seen, total = [], [], 0.0
    for route in routes:
        time_now, place, load = instance["windows"][0][0], 0, 0
        for node in route:
            leg = distance(instance, place, node)
            total += leg
            start = max(time_now + leg, instance["windows"][node][0])
            if start > instance["windows"][node][1] + 1e-6:
                problems.append(f"customer {node + 1} served at {start:.2f}, after its window")
            time_now, place = start + instance["service"][node], node
            load += instance["demand"][node]
            seen.append(node)
        leg = distance(instance, place, 0)
        total += leg
        if time_now + leg > instance["windows"][0][1] + 1e-6:
            problems.append("a route returns after the depot closes")
        if load > instance["capacity"]:
            problems.append("a route is over capacity")
    if sorted(seen) != list(range(1, len(instance["coords"]))):
        problems.append("customers missing or served twice")
    if len(routes) > instance["vehicles"]:
        problems.append("more vehicles than the instance has")
    return total, len(routes), problems


def run_ours(binary, path, seconds):
    out = subprocess.run([binary, path, "--seconds", str(seconds), "--workers", "2"], check=True,
                         capture_output=True, text=True).stdout
    answer = json.loads(out)
    return [[int(v) - 1 for v in route["visits"]] for route in answer["routes"]]


def pyvrp_search(args):
    path, seconds, seed = args
    from pyvrp import read, solve
    from pyvrp.stop import MaxRuntime
    data = read(path, round_func="exact")
    result = solve(data, stop=MaxRuntime(seconds), seed=seed, display=False)
    # A route's scheduled activities include its depots; a client's idx counts clients from 0, and its location
    # comes after the depots'.
    return [[data.num_depots + activity.idx for activity in route if activity.is_client()]
            for route in result.best.routes()]


def ortools_search(args):
    path, seconds, strategy = args
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2
    instance = read_vrplib(path)
    n = len(instance["coords"])
    scale = 100
    cost = [[round(distance(instance, a, b) * scale) for b in range(n)] for a in range(n)]
    travel = [[math.ceil(distance(instance, a, b) * scale) + round(instance["service"][a] * scale)
               for b in range(n)] for a in range(n)]
    manager = pywrapcp.RoutingIndexManager(n, instance["vehicles"], 0)
    routing = pywrapcp.RoutingModel(manager)
    # Matrices and vectors registered as such: the search reads them in C++, without calling back into Python.
    cost_callback = routing.RegisterTransitMatrix(cost)
    routing.SetArcCostEvaluatorOfAllVehicles(cost_callback)
    time_callback = routing.RegisterTransitMatrix(travel)
    horizon = math.ceil(instance["windows"][0][1] * scale)
    routing.AddDimension(time_callback, horizon, horizon, False, "time")
    dimension = routing.GetDimensionOrDie("time")
    for node in range(1, n):
        opens, closes = instance["windows"][node]
        dimension.CumulVar(manager.NodeToIndex(node)).SetRange(math.ceil(opens * scale), math.floor(closes * scale))
    demand_callback = routing.RegisterUnaryTransitVector(instance["demand"])
    routing.AddDimensionWithVehicleCapacity(
        demand_callback, 0, [instance["capacity"]] * instance["vehicles"], True, "load")
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, strategy)
    parameters.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    parameters.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(parameters)
    if solution is None:
        return None
    routes = []
    for vehicle in range(instance["vehicles"]):
        index, route = solution.Value(routing.NextVar(routing.Start(vehicle))), []
        while not routing.IsEnd(index):
            route.append(manager.IndexToNode(index))
            index = solution.Value(routing.NextVar(index))
        if route:
            routes.append(route)
    return routes


def best_of(instance, candidates):
    checked = [(check(instance, routes), routes) for routes in candidates if routes is not None]
    checked.sort(key=lambda item: (len(item[0][2]) > 0, item[0][0]))
    return checked[0][0] if checked else (math.nan, 0, ["no solution"])


def main():
    binary, seconds, results = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    names = sys.argv[4:] or sorted(f[:-4] for f in os.listdir(DATA) if f.endswith(".vrp"))
    best_known = {row["instance"]: row for row in csv.DictReader(open(os.path.join(DATA, "best-known.csv")))}
    rows = []
    with multiprocessing.Pool(2) as pool:
        for name in names:
            path = os.path.join(DATA, name + ".vrp")
            instance = read_vrplib(path)
            row = {"instance": name, "seconds": seconds}
            started = time.monotonic()
            row["ours"] = check(instance, run_ours(binary, path, seconds))
            row["pyvrp"] = best_of(instance, pool.map(pyvrp_search, [(path, seconds, 1), (path, seconds, 2)]))
            row["ortools"] = best_of(instance, pool.map(
                ortools_search, [(path, seconds, "PATH_CHEAPEST_ARC"), (path, seconds, "PARALLEL_CHEAPEST_INSERTION")]))
            known = best_known.get(name)
            row["best_known"] = (float(known["distance"]), int(known["vehicles"])) if known else None
            rows.append(row)
            print(f"{name}: done in {time.monotonic() - started:.0f} s", file=sys.stderr)
    json.dump(rows, open(results, "w"), indent=1)
    print(f"\n## Solomon VRPTW, {seconds:g} s per solver and instance, two cores each, distance minimised")
    print("| instance | ours (veh.) | PyVRP (veh.) | OR-Tools (veh.) | best known (veh.) | ours vs PyVRP | ours vs OR-Tools | ours vs best known |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        def cell(result):
            value, vehicles, problems = result
            return f"{value:.2f} ({vehicles})" + (" INFEASIBLE" if problems else "")
        ours = row["ours"][0]
        def gap(other):
            return f"{100 * (ours - other) / other:+.2f} %" if other and not math.isnan(other) else "–"
        known = row["best_known"]
        print(f"| {row['instance']} | {cell(row['ours'])} | {cell(row['pyvrp'])} | {cell(row['ortools'])} | "
              + (f"{known[0]:.2f} ({known[1]})" if known else "–")
              + f" | {gap(row['pyvrp'][0])} | {gap(row['ortools'][0])} | {gap(known[0] if known else None)} |")
    for row in rows:
        for solver in ("ours", "pyvrp", "ortools"):
            for problem in row[solver][2][:3]:
                print(f"{row['instance']} {solver}: {problem}", file=sys.stderr)


if __name__ == "__main__":
    main()
