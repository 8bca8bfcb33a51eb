#!/usr/bin/env bash
# Starts the Jaeger built by build.sh on 127.0.0.1 (in-memory storage, OTLP HTTP receiver, query
# API), waits until it answers, and prints `KEY=value` lines for the caller:
#   JAEGER_PID, JAEGER_OTLP_URL (OTEL_EXPORTER_OTLP_ENDPOINT), JAEGER_QUERY_URL, JAEGER_LOG,
#   JAEGER_SIGNALS_EXPORTER (where metrics and log records go: otlphttp/signals_sink or nop)
# Stop it with stop.sh (same state folder).
#
# Environment (all optional):
#   JAEGER_OTLP_HTTP_PORT   default 4318 (OTLP/HTTP: /v1/traces, /v1/metrics, /v1/logs)
#   JAEGER_QUERY_HTTP_PORT  default 16686 (query API: /api/traces, /api/v3/...)
#   JAEGER_QUERY_GRPC_PORT  default 16685
#   JAEGER_SIGNALS_SINK_ENDPOINT  http://127.0.0.1:<port> of an OTLP/HTTP JSON receiver (the e2e
#                           suite's e2e/support/otlp-sink.ts) that gets the metrics and log records
#                           Jaeger receives (Jaeger stores only traces). Unset: they are discarded.
#   AGENT_OTEL_JAEGER_STATE folder for the pid file and log (default <cache>/run)
#   AGENT_OTEL_JAEGER_READY_TIMEOUT  seconds to wait for readiness (default 60)
#   AGENT_OTEL_JAEGER_WATCH_PID      stop Jaeger when this process ends (e.g. the test runner),
#                                    so a crashed test run leaves no Jaeger behind
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${AGENT_OTEL_JAEGER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/agent-otel/jaeger}"

fail() {
  echo "scripts/jaeger/start.sh: error: $*" >&2
  exit 1
}

export JAEGER_OTLP_HTTP_PORT="${JAEGER_OTLP_HTTP_PORT:-4318}"
export JAEGER_QUERY_HTTP_PORT="${JAEGER_QUERY_HTTP_PORT:-16686}"
export JAEGER_QUERY_GRPC_PORT="${JAEGER_QUERY_GRPC_PORT:-16685}"
STATE="${AGENT_OTEL_JAEGER_STATE:-$CACHE/run}"
READY_TIMEOUT="${AGENT_OTEL_JAEGER_READY_TIMEOUT:-60}"
# config.yaml names the exporter of the metrics and logs pipelines through this variable.
if [ -n "${JAEGER_SIGNALS_SINK_ENDPOINT:-}" ]; then
  case "$JAEGER_SIGNALS_SINK_ENDPOINT" in
    http://*) ;;
    *) fail "JAEGER_SIGNALS_SINK_ENDPOINT=$JAEGER_SIGNALS_SINK_ENDPOINT is not an http:// URL; set it to the sink's base URL, e.g. http://127.0.0.1:4319 (the collector appends /v1/metrics and /v1/logs), or unset it to discard metrics and logs" ;;
  esac
  export JAEGER_SIGNALS_EXPORTER=otlphttp/signals_sink
else
  export JAEGER_SIGNALS_EXPORTER=nop
fi
command -v curl >/dev/null 2>&1 || fail "curl is needed to check that Jaeger is ready (apt-get install curl)"

BIN="$(bash "$HERE/build.sh")" || fail "no Jaeger binary (build.sh failed; see above)"

mkdir -p "$STATE"
if [ -f "$STATE/jaeger.pid" ] && kill -0 "$(cat "$STATE/jaeger.pid")" 2>/dev/null; then
  fail "a Jaeger started from $STATE is still running (pid $(cat "$STATE/jaeger.pid")); run scripts/jaeger/stop.sh first"
fi
for port in "$JAEGER_OTLP_HTTP_PORT" "$JAEGER_QUERY_HTTP_PORT" "$JAEGER_QUERY_GRPC_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "port $port on 127.0.0.1 is already in use; choose others with JAEGER_OTLP_HTTP_PORT, JAEGER_QUERY_HTTP_PORT, JAEGER_QUERY_GRPC_PORT"
  fi
done

LOG="$STATE/jaeger.log"
# setsid: Jaeger gets its own process group, so a Ctrl-C meant for the caller does not kill it
# half-way, and stop.sh can end exactly this process.
setsid "$BIN" --config "file:$HERE/config.yaml" >"$LOG" 2>&1 </dev/null &
PID=$!
echo "$PID" >"$STATE/jaeger.pid"
if [ -n "${AGENT_OTEL_JAEGER_WATCH_PID:-}" ]; then
  (
    while kill -0 "$AGENT_OTEL_JAEGER_WATCH_PID" 2>/dev/null && kill -0 "$PID" 2>/dev/null; do sleep 1; done
    kill -0 "$AGENT_OTEL_JAEGER_WATCH_PID" 2>/dev/null || kill "$PID" 2>/dev/null || true
  ) >/dev/null 2>&1 </dev/null &
fi

OTLP_URL="http://127.0.0.1:$JAEGER_OTLP_HTTP_PORT"
QUERY_URL="http://127.0.0.1:$JAEGER_QUERY_HTTP_PORT"
deadline=$(($(date +%s) + READY_TIMEOUT))
until curl -fsS -o /dev/null "$QUERY_URL/api/services" 2>/dev/null &&
  curl -fsS -o /dev/null -X POST -H 'content-type: application/json' -d '{}' "$OTLP_URL/v1/traces" 2>/dev/null; do
  if ! kill -0 "$PID" 2>/dev/null; then
    rm -f "$STATE/jaeger.pid"
    echo "---- $LOG (last 30 lines)" >&2
    tail -n 30 "$LOG" >&2 || true
    fail "Jaeger exited during startup; see its log above"
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "---- $LOG (last 30 lines)" >&2
    tail -n 30 "$LOG" >&2 || true
    kill "$PID" 2>/dev/null || true
    rm -f "$STATE/jaeger.pid"
    fail "Jaeger did not answer on $QUERY_URL and $OTLP_URL within ${READY_TIMEOUT} s"
  fi
  sleep 0.2
done
echo "JAEGER_PID=$PID"
echo "JAEGER_OTLP_URL=$OTLP_URL"
echo "JAEGER_QUERY_URL=$QUERY_URL"
echo "JAEGER_LOG=$LOG"
echo "JAEGER_SIGNALS_EXPORTER=$JAEGER_SIGNALS_EXPORTER"
