#!/usr/bin/env bash
# Routing side by side: our dispatch planner, PyVRP and OR-Tools with the same time limit and two cores each, on
# the Solomon VRPTW instances (C1, R1, RC1 in benchmarks/data/solomon, with their published best-known results)
# and on generated home-visit days (benchmarks/routing_days.py: 200, 500 and 1,000 visits, quiet and busy), then
# how long adding one booked visit to a planned day takes. Prints Markdown tables for docs/BENCHMARKS.md.
# Figures, never assertions.
#
#   benchmarks/routing.sh [--seconds 10] [--instances C101,R101,RC101] [--sizes 200,500,1000]
#                         [--only solomon|days] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=10 instances="" sizes="" only="" build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --instances) instances=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ "$build" = 1 ]; then
  echo "== release build of plan-routes" >&2
  swift build -c release --product plan-routes --scratch-path .build-planner >&2
fi
python3 -c "import pyvrp, ortools" 2>/dev/null \
  || python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "pyvrp>=0.14" "ortools>=9.10"
work=$(mktemp -d /tmp/selfsched-routing.XXXX)
# shellcheck disable=SC2086
if [ "$only" != days ]; then
  python3 benchmarks/routing.py .build-planner/release/plan-routes "$seconds" "$work/solomon.json" ${instances//,/ }
fi
# shellcheck disable=SC2086
if [ "$only" != solomon ]; then
  python3 benchmarks/routing_days.py .build-planner/release/plan-routes "$seconds" "$work" "$work/days.json" ${sizes//,/ }
fi
echo "== the days, and the answers of every solver, in $work" >&2
