#!/usr/bin/env bash
# ensure-engine: make sure Docker Engine (Debian docker.io), busybox-static,
# debootstrap (test stand-in images), tmux (dashboard tests),
# docker-registry and apache2-utils (htpasswd, for registries with a login)
# and zstd (tar --zstd reads save's archives in the save/load tests; the
# benchmark compares with docker save | zstd) are installed and an engine
# answers. Installs only what is missing, starts dockerd in the background
# only when none answers, never stops a running one. Used by `make test`,
# `make demo` and .ci/run.
set -euo pipefail

log() { echo "ensure-engine: $*"; }

# missing_packages prints the Debian packages that are not installed yet.
missing_packages() {
	if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
		echo docker.io
	fi
	if ! dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed'; then
		echo busybox-static
	fi
	if ! command -v docker-registry >/dev/null; then
		echo docker-registry
	fi
	if ! command -v debootstrap >/dev/null; then
		echo debootstrap
	fi
	if ! command -v tmux >/dev/null; then
		echo tmux
	fi
	if ! command -v htpasswd >/dev/null; then
		echo apache2-utils
	fi
	if ! command -v zstd >/dev/null; then
		echo zstd
	fi
}

install_packages() {
	local pkgs aptlog
	pkgs=$(missing_packages | xargs)
	[ -z "$pkgs" ] && return 0
	log "installing $pkgs"
	aptlog=$(mktemp /tmp/ci-apt.XXXXXX.log)
	if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $pkgs; } \
		>"$aptlog" 2>&1 </dev/null; then
		tail -n 40 "$aptlog"
		log "apt-get failed (log: $aptlog)"
		exit 1
	fi
}

# dockerd_running: is any dockerd process alive (no procps needed).
dockerd_running() { grep -qx dockerd /proc/[0-9]*/comm 2>/dev/null; }

docker_answers() { docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; }

# start_dockerd starts dockerd in the background unless one already runs, then
# waits up to 60 s for it to answer.
start_dockerd() {
	docker_answers && return 0
	local dlog=/tmp/ci-dockerd.log started=""
	if dockerd_running; then
		log "dockerd is running but not answering yet; waiting"
	else
		log "starting dockerd (log: $dlog)"
		setsid nohup dockerd >"$dlog" 2>&1 </dev/null &
		started=1
	fi
	for _ in $(seq 60); do
		docker_answers && { log "docker engine $(docker info --format '{{.ServerVersion}}')"; return 0; }
		# Stop waiting early if the dockerd we started has died.
		if [ -n "$started" ] && ! dockerd_running; then
			sleep 1
			docker_answers || break
		fi
		sleep 1
	done
	log "docker engine did not answer (dockerd log tail follows)"
	[ -f "$dlog" ] && tail -n 40 "$dlog"
	exit 1
}

install_packages
start_dockerd
