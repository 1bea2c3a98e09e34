#!/usr/bin/env bash
# demo-image: build devstack-demo/busybox:1 (FROM scratch + the host's static
# busybox) so the example runs on a machine that cannot reach a registry.
set -euo pipefail
docker image inspect devstack-demo/busybox:1 >/dev/null 2>&1 && exit 0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp /bin/busybox "$dir/busybox"
cat >"$dir/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
DOCKERFILE
DOCKER_BUILDKIT=0 docker build -q -t devstack-demo/busybox:1 "$dir" >/dev/null
echo "built devstack-demo/busybox:1"
