#!/bin/sh
# Mirrors the official redis image's entrypoint.
set -e
# Flags or a config file as first argument go to redis-server.
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
	set -- redis-server "$@"
fi
# Drop root: own the data dir, then run again as redis.
if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
	find . \! -user redis -exec chown redis '{}' +
	exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi
if [ "$1" = redis-server ]; then
	# Protected mode off unless a given config file sets it.
	protected=1
	config=
	if [ -f "${2-}" ]; then
		config=$2
		if grep -q '^protected-mode' "$config"; then
			protected=
		fi
	fi
	if [ "$protected" = 1 ]; then
		shift
		[ -n "$config" ] && shift
		set -- --protected-mode no "$@"
		[ -n "$config" ] && set -- "$config" "$@"
		set -- redis-server "$@"
	fi
fi
exec "$@"
