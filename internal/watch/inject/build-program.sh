#!/bin/sh
# build-program.sh PROGRAM ARCH: builds cmd/PROGRAM (devstack-receiver, the
# watch receiver, devstack-router, the local HTTPS router, or
# devstack-snapshot, the volume snapshot helper), static and
# stripped, for linux/ARCH into receivers/PROGRAM-linux-ARCH.gz (go generate
# runs it here, in internal/watch/inject); gzip halves what it adds to
# devstack. The new file is renamed into place, so a devstack build that
# embeds the directory at the same moment (make test runs e2e's and bench's
# builds side by side) reads a whole program.
set -e
out=receivers/$1-linux-$2.gz
tmp=$(mktemp receivers/.build-XXXXXX)
trap 'rm -f "$tmp" "$tmp.gz"' EXIT
CGO_ENABLED=0 GOOS=linux GOARCH=$2 go build -trimpath -buildvcs=false -ldflags="-s -w" -o "$tmp" ../../../cmd/$1
gzip -9 -n -c "$tmp" > "$tmp.gz"
mv "$tmp.gz" "$out"
