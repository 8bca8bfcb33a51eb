#!/usr/bin/env bash
# Stops the Jaeger that start.sh started from the same state folder (AGENT_OTEL_JAEGER_STATE):
# SIGTERM, then SIGKILL after 10 s. Does nothing when none is running.
set -euo pipefail
CACHE="${AGENT_OTEL_JAEGER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/agent-otel/jaeger}"
STATE="${AGENT_OTEL_JAEGER_STATE:-$CACHE/run}"
PID_FILE="$STATE/jaeger.pid"
[ -f "$PID_FILE" ] || exit 0
PID="$(cat "$PID_FILE")"
rm -f "$PID_FILE"
kill -0 "$PID" 2>/dev/null || exit 0
kill -TERM "$PID" 2>/dev/null || true
for _ in $(seq 1 50); do
  kill -0 "$PID" 2>/dev/null || exit 0
  sleep 0.2
done
echo "scripts/jaeger/stop.sh: Jaeger (pid $PID) ignored SIGTERM for 10 s; sending SIGKILL" >&2
kill -KILL "$PID" 2>/dev/null || true
