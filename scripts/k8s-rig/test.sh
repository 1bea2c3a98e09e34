#!/usr/bin/env bash
# make test-k8s: builds the rig's programs (cached), brings the rig up, runs
# the Kubernetes scripts (e2e TestScriptsK8s; K8S_RUN narrows them, e.g.
# K8S_RUN=k8s_rig; K8S_BENCH=REGEXP runs those benchmarks of bench/
# instead, e.g. K8S_BENCH=KubeDeploy30, against a bin/devstack built here),
# brings the rig down whatever happened, and fails when the machine is not
# as it was before (check-clean.sh). One rig at a time per machine: it
# waits for another to go.
set -euo pipefail
cd "$(dirname "$0")/../.."
rig=scripts/k8s-rig
"$rig/rig.sh" build
[ -z "${K8S_BENCH:-}" ] || make build
exec 8>>"$("$rig/rig.sh" lock).test"
flock -w 1800 8
# A rig brought up by someone else: wait until it is gone, so that the
# snapshot below is of the machine without it.
flock -w 1800 "$("$rig/rig.sh" lock)" true
before=$(mktemp /tmp/devstack-k8s-before.XXXXXX)
dir=$(mktemp -d /tmp/devstack-k8s.XXXXXX)
"$rig/snapshot.sh" "$before"
finish() {
	local rc=$? stop
	if [ "$rc" != 0 ] && [ -d "$dir/logs" ]; then
		echo "test-k8s: failed; the last lines of the rig's logs:" >&2
		tail -n 15 "$dir"/logs/*.log >&2 || true
	fi
	stop=$(date +%s)
	"$rig/rig.sh" down "$dir" || rc=1
	"$rig/check-clean.sh" "$before" || rc=1
	rm -f "$before"
	echo "test-k8s: rig stopped and checked in $(($(date +%s) - stop)) s"
	exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT TERM
kubeconfig=$(DEVSTACK_K8S_WAIT=600 "$rig/rig.sh" up "$dir")
eval "$("$rig/rig.sh" env "$dir")"
pids=$(cat "$dir"/pids/* | tr '\n' ',')
rss=$(ps -o rss= -p "${pids%,}" | awk '{s += $1} END {printf "%d", s / 1024}')
echo "test-k8s: rig up, KUBECONFIG=$kubeconfig; its processes use ${rss} MB RSS"
if [ -n "${K8S_BENCH:-}" ]; then
	DEVSTACK_E2E=1 DEVSTACK_E2E_K8S=1 DEVSTACK_K8S_RIG=$dir KUBECONFIG=$kubeconfig \
		go test -count=1 -timeout 30m -run '^$' -bench "$K8S_BENCH" -benchtime 1x ./bench
	exit 0
fi
run='^TestScriptsK8s$'
[ -n "${K8S_RUN:-}" ] && run="$run/^($K8S_RUN)\$"
DEVSTACK_E2E_K8S=1 DEVSTACK_K8S_RIG=$dir KUBECONFIG=$kubeconfig \
	go test -count=1 -timeout 20m ${K8S_TESTFLAGS:-} ./e2e -run "$run"
