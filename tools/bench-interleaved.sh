#!/usr/bin/env bash
# Compares two builds of Meadow end to end: `meadow bench pipeline --prompts 2000` on a fresh `meadow up` stack of
# each, alternately, PAIRS times. Both trees must be built (./mvnw -q install -DskipTests), nothing else running,
# and the default ports free.
#   tools/bench-interleaved.sh OLD_TREE NEW_TREE [PAIRS] [FIRST]   FIRST: old (default) or new, run first in a pair
# Prints each run's end-to-end line; the whole bench output and each stack's log go to bench-results/.
set -uo pipefail
old="$(cd "$1" && pwd)"; new="$(cd "$2" && pwd)"; pairs="${3:-3}"; first="${4:-old}"
out="$(pwd)/bench-results"; mkdir -p "$out"
run() { # tree label
  local tree="$1" label="$2" data="/tmp/meadow-bench-$2" i
  rm -rf "$data"
  (cd "$tree" && MEADOW_SKIP_BUILD=1 setsid ./meadow up --data "$data" >"$out/$label-up.log" 2>&1 & echo $! >"$out/$label.pid")
  for i in $(seq 1 300); do grep -q "All healthy" "$out/$label-up.log" && break; sleep 1; done
  (cd "$tree" && MEADOW_SKIP_BUILD=1 ./meadow bench pipeline --data "$data" --prompts 2000 >"$out/$label-bench.log" 2>&1)
  kill -TERM -- -"$(cat "$out/$label.pid")" 2>/dev/null
  for i in $(seq 1 60); do pgrep -f "$data" >/dev/null || break; sleep 1; done
  pkill -9 -f "$data" 2>/dev/null; sleep 2
  echo "$label: $(grep 'end to end' "$out/$label-bench.log")"
}
for pair in $(seq 1 "$pairs"); do
  if [[ "$first" == new ]]; then run "$new" "new-$pair"; run "$old" "old-$pair"
  else run "$old" "old-$pair"; run "$new" "new-$pair"; fi
done
