#!/usr/bin/env bash
# check-clean.sh BEFORE: exits 1, showing the difference, when the machine
# is not as snapshot.sh BEFORE recorded it (the rig left something behind).
set -u
after=$(mktemp)
trap 'rm -f "$after"' EXIT
"$(dirname "$0")/snapshot.sh" "$after"
changed=$(diff -u "$1" "$after" | grep -E '^[-+]' | grep -vE '^(\+\+\+|---) ')
if [ -n "$changed" ]; then
	echo "k8s-rig: the machine differs from before the rig:" >&2
	echo "$changed" >&2
	exit 1
fi
echo "k8s-rig: nothing left behind (sysctls, links, chains, nft tables, mounts, cgroups, paths, processes)" >&2
