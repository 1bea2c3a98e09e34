#!/bin/sh
# build-receiver.sh ARCH: builds cmd/devstack-receiver, static and stripped,
# for linux/ARCH into receivers/devstack-receiver-linux-ARCH.gz (go generate
# runs it here, in internal/watch/inject); gzip halves what it adds to devstack
# (~2 MB to ~0.9 MB an architecture). The new file is renamed into place, so a
# devstack build that embeds the directory at the same moment (make test
# runs e2e's and bench's builds side by side) reads a whole receiver.
set -e
out=receivers/devstack-receiver-linux-$1.gz
tmp=$(mktemp receivers/.build-XXXXXX)
trap 'rm -f "$tmp" "$tmp.gz"' EXIT
CGO_ENABLED=0 GOOS=linux GOARCH=$1 go build -trimpath -buildvcs=false -ldflags="-s -w" -o "$tmp" ../../../cmd/devstack-receiver
gzip -9 -n -c "$tmp" > "$tmp.gz"
mv "$tmp.gz" "$out"
