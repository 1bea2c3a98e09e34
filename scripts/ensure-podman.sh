#!/usr/bin/env bash
# ensure-podman: make sure Debian's podman (and catatonit, its init for
# `init: true`) is installed, can run containers in this sandbox, and serves
# its Docker-compatible API on unix:///run/podman/podman.sock. Installs only
# what is missing, adds the ulimits only when containers.conf sets none,
# starts `podman system service` in the background only when the socket
# does not answer. A running service is left alone, unless this script has
# just changed podman's config: the service reads it at start, so then it
# is restarted. Used by `make test-podman`.
#
# Why the ulimits: podman's default limits for a container exceed this
# sandbox's hard limits, and every container then fails with "error setting
# rlimit type 7: operation not permitted".
# Why the registries drop-in: Docker talks plain HTTP to registries on
# 127.0.0.0/8, podman only to those registries.conf marks insecure; the
# tests' registries listen on 127.0.0.1 (any port: podman matches
# "127.0.0.1" against "127.0.0.1:PORT").
set -euo pipefail

SOCK=/run/podman/podman.sock
CONF=/etc/containers/containers.conf
ULIMITS='default_ulimits = ["nofile=10000:10000", "nproc=10000:10000"]'
REGCONF=/etc/containers/registries.conf.d/50-devstack-loopback.conf

log() { echo "ensure-podman: $*"; }

changed="" # set when this run changed podman's config or installed podman

# missing_packages prints the Debian packages that are not installed yet.
missing_packages() {
	command -v podman >/dev/null || echo podman
	[ -x /usr/libexec/podman/catatonit ] || echo catatonit
}

install_podman() {
	local pkgs aptlog
	pkgs=$(missing_packages | xargs)
	[ -z "$pkgs" ] && return 0
	log "installing $pkgs"
	changed=1
	aptlog=$(mktemp /tmp/ci-apt.XXXXXX.log)
	if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $pkgs; } \
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
	changed=1
	if grep -Eq '^[[:space:]]*\[containers\][[:space:]]*$' "$CONF"; then
		local tmp
		tmp=$(mktemp "$CONF.XXXXXX")
		awk -v line="$ULIMITS" '{ print } /^[[:space:]]*\[containers\][[:space:]]*$/ { print line }' "$CONF" >"$tmp"
		cat "$tmp" >"$CONF" && rm -f "$tmp"
	else
		printf '\n[containers]\n%s\n' "$ULIMITS" >>"$CONF"
	fi
}

# ensure_loopback_registries lets podman use plain-HTTP registries on
# 127.0.0.1 and localhost, as Docker does, unless our drop-in is there.
ensure_loopback_registries() {
	[ -f "$REGCONF" ] && return 0
	log "marking registries on 127.0.0.1 and localhost insecure in $REGCONF"
	changed=1
	mkdir -p "$(dirname "$REGCONF")"
	printf '%s\n' '# devstack tests: plain HTTP to loopback registries, as Docker does' \
		'[[registry]]' 'location = "127.0.0.1"' 'insecure = true' \
		'[[registry]]' 'location = "localhost"' 'insecure = true' >"$REGCONF"
}

# podman_answers: the socket serves the Docker API (asked with the docker
# CLI, which ensure-engine.sh installs, as the tests use it).
podman_answers() {
	timeout 10 docker -H "unix://$SOCK" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

# service_pids prints the pids of `podman system service` processes
# serving $SOCK.
service_pids() {
	local f pid
	for f in /proc/[0-9]*/cmdline; do
		pid=${f#/proc/}
		pid=${pid%/cmdline}
		{ tr '\0' ' ' <"$f"; } 2>/dev/null | grep -q "^podman system service .*unix://$SOCK" && echo "$pid"
	done
	return 0
}

# restart_if_changed stops the service serving $SOCK when this run changed
# podman's config, so that start_service starts one that reads it.
restart_if_changed() {
	[ -n "$changed" ] || return 0
	local pids
	pids=$(service_pids | xargs)
	[ -n "$pids" ] || return 0
	log "restarting podman system service (pid $pids) to read the new config"
	kill $pids
	for _ in $(seq 20); do
		[ -z "$(service_pids)" ] && return 0
		sleep 0.5
	done
}

start_service() {
	podman_answers && return 0
	local plog=/tmp/ci-podman.log
	if [ -n "$(service_pids)" ]; then
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

command -v docker >/dev/null || { log "the docker CLI is needed (scripts/ensure-engine.sh installs it)"; exit 1; }
install_podman
ensure_ulimits
ensure_loopback_registries
restart_if_changed
start_service
