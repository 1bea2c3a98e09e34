#!/bin/sh
set -e
# Like the official image: flags, a non-command or a non-executable file go
# to node.
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
	set -- node "$@"
fi
exec "$@"
