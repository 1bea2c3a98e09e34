#!/usr/bin/env bash
# ensure-podman: make sure Debian's podman is installed, can run containers
# in this sandbox, and serves its Docker-compatible API on
# unix:///run/podman/podman.sock. Installs only what is missing, adds the
# ulimits only when containers.conf sets none, starts
# `podman system service` in the background only when the socket does not
# answer, never stops a running one. Used by `make test-podman`.
#
# Why the ulimits: podman's default limits for a container exceed this
# sandbox's hard limits, and every container then fails with "error setting
# rlimit type 7: operation not permitted".
set -euo pipefail

SOCK=/run/podman/podman.sock
CONF=/etc/containers/containers.conf
ULIMITS='default_ulimits = ["nofile=10000:10000", "nproc=10000:10000"]'

log() { echo "ensure-podman: $*"; }

install_podman() {
	command -v podman >/dev/null && return 0
	local aptlog
	log "installing podman"
	aptlog=$(mktemp /tmp/ci-apt.XXXXXX.log)
	if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman; } \
		>"$aptlog" 2>&1 </dev/null; then
		tail -n 40 "$aptlog"
		log "apt-get failed (log: $aptlog)"
		exit 1
	fi
}

# ensure_ulimits adds default_ulimits to the [containers] table of
# containers.conf unless the file already sets them; other settings stay.
ensure_ulimits() {
	mkdir -p "$(dirname "$CONF")"
	touch "$CONF"
	if grep -Eq '^[[:space:]]*default_ulimits[[:space:]]*=' "$CONF"; then
		return 0
	fi
	log "adding $ULIMITS to $CONF"
	if grep -Eq '^[[:space:]]*\[containers\][[:space:]]*$' "$CONF"; then
		local tmp
		tmp=$(mktemp "$CONF.XXXXXX")
		awk -v line="$ULIMITS" '{ print } /^[[:space:]]*\[containers\][[:space:]]*$/ { print line }' "$CONF" >"$tmp"
		cat "$tmp" >"$CONF" && rm -f "$tmp"
	else
		printf '\n[containers]\n%s\n' "$ULIMITS" >>"$CONF"
	fi
}

podman_answers() {
	curl -sf --max-time 5 --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1
}

# podman_service_running: is a `podman system service` process alive.
podman_service_running() {
	local f
	for f in /proc/[0-9]*/cmdline; do
		tr '\0' ' ' <"$f" 2>/dev/null | grep -q '^podman system service' && return 0
	done
	return 1
}

start_service() {
	podman_answers && return 0
	local plog=/tmp/ci-podman.log
	if podman_service_running; then
		log "podman system service is running but not answering yet; waiting"
	else
		log "starting podman system service on $SOCK (log: $plog)"
		mkdir -p "$(dirname "$SOCK")"
		setsid nohup podman system service --time=0 "unix://$SOCK" >"$plog" 2>&1 </dev/null &
	fi
	for _ in $(seq 60); do
		podman_answers && { log "podman $(podman version --format '{{.Server.Version}}' 2>/dev/null) answers on $SOCK"; return 0; }
		sleep 1
	done
	log "podman did not answer on $SOCK (log tail follows)"
	[ -f "$plog" ] && tail -n 40 "$plog"
	exit 1
}

command -v curl >/dev/null || { log "curl is needed"; exit 1; }
install_podman
ensure_ulimits
start_service
