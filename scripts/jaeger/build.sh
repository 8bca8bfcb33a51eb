#!/usr/bin/env bash
# Builds Jaeger v2 (cmd/jaeger of the Go module github.com/jaegertracing/jaeger) from the Go module
# proxy, once, into a cache outside the work tree, and prints the binary's path on stdout. Later
# runs reuse the cached binary. Nothing from Jaeger is written into the repository.
#
# The module's go.mod carries a `replace` directive, which `go install pkg@version` refuses, so we
# build through a throwaway wrapper module that requires Jaeger and repeats that replace.
#
# Environment:
#   AGENT_OTEL_JAEGER_VERSION  module version to build (default below)
#   AGENT_OTEL_JAEGER_CACHE    cache folder (default ${XDG_CACHE_HOME:-$HOME/.cache}/agent-otel/jaeger)
#   AGENT_OTEL_JAEGER_BIN      use this prebuilt binary instead (nothing is built)
set -euo pipefail

VERSION="${AGENT_OTEL_JAEGER_VERSION:-v1.76.0}"
CACHE="${AGENT_OTEL_JAEGER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/agent-otel/jaeger}"
# The replace directive of Jaeger's own go.mod at $VERSION (main-module replaces are not inherited).
REPLACE="github.com/Shopify/sarama => github.com/Shopify/sarama v1.33.0"

fail() {
  echo "scripts/jaeger/build.sh: error: $*" >&2
  exit 1
}
log() { echo "scripts/jaeger/build.sh: $*" >&2; }

works() { [ -x "$1" ] && "$1" version >/dev/null 2>&1; }

if [ -n "${AGENT_OTEL_JAEGER_BIN:-}" ]; then
  works "$AGENT_OTEL_JAEGER_BIN" || fail "AGENT_OTEL_JAEGER_BIN=$AGENT_OTEL_JAEGER_BIN is not a runnable Jaeger binary ('\$bin version' failed)"
  echo "$AGENT_OTEL_JAEGER_BIN"
  exit 0
fi

command -v go >/dev/null 2>&1 || fail "the 'go' tool is not on PATH; Jaeger is built from source with Go >= 1.24 (install Go, or set AGENT_OTEL_JAEGER_BIN to a Jaeger v2 binary)"
GOOS_ARCH="$(go env GOOS)-$(go env GOARCH)"
BIN="$CACHE/jaeger-$VERSION-$GOOS_ARCH"

if works "$BIN"; then
  log "using cached $BIN"
  echo "$BIN"
  exit 0
fi

mkdir -p "$CACHE" || fail "cannot create the cache folder $CACHE"
# One build at a time (two test runs starting together must not both build).
exec 9>"$CACHE/.build.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi
if works "$BIN"; then
  echo "$BIN"
  exit 0
fi

GO_VERSION="$(go env GOVERSION)"
case "$GO_VERSION" in
  go1.2[4-9]* | go1.[3-9]* | go[2-9]*) ;;
  *) fail "Jaeger $VERSION needs Go >= 1.24; found $GO_VERSION" ;;
esac

WORK="$CACHE/build-$VERSION"
rm -rf "$WORK"
mkdir -p "$WORK"
started=$(date +%s)
log "building Jaeger $VERSION with $GO_VERSION into $CACHE (first time only; a few minutes on 2 cores)"
(
  cd "$WORK"
  # GOFLAGS from the caller (e.g. -mod=vendor) must not change how this wrapper resolves.
  export GOFLAGS=-mod=mod GOWORK=off GOTOOLCHAIN=local CGO_ENABLED=0
  module_json="$(go mod download -json "github.com/jaegertracing/jaeger@$VERSION")" ||
    fail "downloading github.com/jaegertracing/jaeger@$VERSION from the Go module proxy ($(go env GOPROXY)) failed; see the messages above"
  field() { printf '%s\n' "$module_json" | sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",\{0,1\}\$/\1/p"; }
  dir="$(field Dir)"
  [ -f "$dir/go.sum" ] || fail "the downloaded module has no go.sum at $dir/go.sum"
  cat >go.mod <<GOMOD
module agent-otel.local/jaeger-build

go 1.24

require github.com/jaegertracing/jaeger $VERSION

replace $REPLACE
GOMOD
  # Jaeger's own go.sum pins every dependency it was released with; reusing it means the checksum
  # database is only asked about Jaeger itself (which `go mod download` just verified).
  {
    cat "$dir/go.sum"
    echo "github.com/jaegertracing/jaeger $VERSION $(field Sum)"
    echo "github.com/jaegertracing/jaeger $VERSION/go.mod $(field GoModSum)"
  } >go.sum
  go build -trimpath -ldflags='-s -w' -o "$BIN.tmp" github.com/jaegertracing/jaeger/cmd/jaeger >&2 ||
    fail "compiling github.com/jaegertracing/jaeger/cmd/jaeger@$VERSION failed; see the messages above"
) || exit 1
mv -f "$BIN.tmp" "$BIN"
works "$BIN" || fail "the built binary $BIN does not run ('$BIN version' failed)"
rm -rf "$WORK"
log "built $BIN in $(($(date +%s) - started)) s"
echo "$BIN"
