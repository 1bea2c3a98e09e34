# shellcheck shell=bash
# Sourced by rig.sh: `rig.sh down DIR` stops the rig and removes every trace.

# k8s_down stops the rig in the order that leaves nothing behind: the
# controllers first (nothing recreates pods), then the pods through the
# kubelet (CNI DEL removes their veths, addresses and chains), the kubelet
# and kube-proxy (and its rules), leftover shims, containerd, the apiserver
# before etcd (else etcd's shutdown waits 15-60 s), then what they left on
# the machine: mounts, cgroups, chains, nft tables, sysctls, links, paths.
# Safe to run twice, and on a rig that only half started.
k8s_down() {
	local start
	start=$(date +%s.%N)
	[ -d "$DIR/pids" ] || { echo "k8s-rig: no rig in $DIR" >&2; return 0; }
	# Every step runs whatever the one before did (best effort: the
	# caller's check-clean.sh says what, if anything, is left).
	local step rc=0
	for step in "k8s_stop kube-controller-manager kube-scheduler coredns" k8s_delete_pods "k8s_stop kubelet kube-proxy" \
		k8s_proxy_cleanup k8s_kill_shims "k8s_stop containerd kube-apiserver" "k8s_stop etcd" k8s_relock k8s_unmount_all \
		k8s_remove_cgroups "k8s_remove_chains iptables" "k8s_remove_chains ip6tables" k8s_restore_machine; do
		$step || { echo "k8s-rig: down: $step failed" >&2; rc=1; }
	done
	if [ "$(cat "$RIG_OWNER" 2>/dev/null)" = "$DIR" ]; then
		rm -f "$RIG_OWNER"
	fi
	rm -rf "$DIR"
	echo "k8s-rig: down in $(k8s_since "$start") s" >&2
	return "$rc"
}

# k8s_relock holds the rig lock (freed as the rig's processes ended) while
# down removes what they left, so that no new rig starts meanwhile.
k8s_relock() {
	[ -n "${RIG_LOCKED:-}" ] && return 0 # up's own lock (removing a dead rig's leftovers)
	exec 9>>"$RIG_LOCK"
	flock -w 30 9
}

# k8s_delete_pods deletes every pod through the kubelet, so that CNI DEL
# removes their veths, addresses and chains (the controllers are stopped:
# nothing recreates them).
k8s_delete_pods() {
	if k8s_running "$DIR" kubelet && k8s_running "$DIR" kube-apiserver; then
		k8s_kubectl delete pods --all --all-namespaces --grace-period=1 --wait=true --timeout=40s >/dev/null
	fi
}

# k8s_proxy_cleanup removes kube-proxy's rules.
k8s_proxy_cleanup() {
	if [ -x "$K8S_BIN/kube-proxy" ]; then
		"$K8S_BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true
	fi
}

# k8s_running DIR NAME: the rig's process NAME still runs.
k8s_running() {
	local pid
	pid=$(cat "$1/pids/$2" 2>/dev/null) && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# k8s_stop NAME...: SIGTERM to each, SIGKILL after 10 s.
k8s_stop() {
	local name pid i
	for name in "$@"; do
		k8s_running "$DIR" "$name" && kill -TERM "$(cat "$DIR/pids/$name")" 2>/dev/null
	done
	for name in "$@"; do
		for i in $(seq 100); do
			k8s_running "$DIR" "$name" || break
			sleep 0.1
		done
		if k8s_running "$DIR" "$name"; then
			pid=$(cat "$DIR/pids/$name")
			echo "k8s-rig: $name did not stop within 10 s: killed" >&2
			kill -KILL "$pid" 2>/dev/null || true
			while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
		fi
		rm -f "$DIR/pids/$name"
	done
}

# k8s_kill_shims kills the containerd shims (and with them the containers)
# started by the rig's containerd: their command line names its socket.
k8s_kill_shims() {
	local pids
	pids=$(pgrep -f -- "containerd-shim.* -address $CONTAINERD_SOCK" || true)
	[ -z "$pids" ] && return 0
	# shellcheck disable=SC2086
	kill -KILL $pids 2>/dev/null || true
	sleep 0.3
}

# k8s_unmount_all unmounts the netns files of the rig's pods, everything
# under DIR (overlay rootfs, tmpfs volumes) and /run/netns when it was not a
# mount point before.
k8s_unmount_all() {
	local ns m
	for ns in $(ls /run/netns 2>/dev/null); do
		case "$ns" in cni-*) ;; *) continue ;; esac
		grep -qxF "$ns" "$DIR/before/netns" 2>/dev/null && continue
		umount "/run/netns/$ns" 2>/dev/null || true
		rm -f "/run/netns/$ns"
	done
	for m in $(awk -v d="$DIR/" 'index($2, d) == 1 {print $2}' /proc/self/mounts | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
	if [ -d "$DIR/before" ] && [ ! -e "$DIR/before/netns-mounted" ] && mountpoint -q /run/netns; then
		umount /run/netns 2>/dev/null || true
	fi
}

# k8s_remove_cgroups removes the kubelet's pod cgroups (kubepods*) in every
# hierarchy, innermost first, killing what still runs in them (containers
# whose shim was killed, when a rig died).
k8s_remove_cgroups() {
	local root d i pids
	for root in /sys/fs/cgroup /sys/fs/cgroup/*; do
		for d in "$root"/kubepods*; do
			[ -d "$d" ] || continue
			pids=$(find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u)
			# shellcheck disable=SC2086
			[ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
			for i in $(seq 25); do
				find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
				[ -d "$d" ] || break
				sleep 0.2
			done
			if [ -d "$d" ]; then
				echo "k8s-rig: cgroup $d left (busy)" >&2
				return 1
			fi
		done
	done
}

# k8s_remove_chains TOOL removes the KUBE-* and CNI-* chains of every table
# (the kubelet's, kube-proxy's and the CNI plugins'), with the rules of
# other chains that jump to them. Other chains (the engine's) are untouched.
k8s_remove_chains() {
	local tool=$1 table rule chain
	command -v "$tool-save" >/dev/null || return 0
	for table in filter nat mangle raw; do
		"$tool-save" -t "$table" >/dev/null 2>&1 || continue
		"$tool-save" -t "$table" 2>/dev/null | { grep -E '^-A ' || true; } | { grep -E ' -[jg] (KUBE|CNI)-' || true; } |
			{ grep -vE '^-A (KUBE|CNI)-' || true; } | while read -r rule; do
			eval "$tool -w -t $table -D ${rule#-A }" 2>/dev/null || true
		done
		for chain in $("$tool-save" -t "$table" 2>/dev/null | sed -n 's/^:\(\(KUBE\|CNI\)-[^ ]*\) .*/\1/p'); do
			"$tool" -w -t "$table" -F "$chain" 2>/dev/null || true
		done
		for chain in $("$tool-save" -t "$table" 2>/dev/null | sed -n 's/^:\(\(KUBE\|CNI\)-[^ ]*\) .*/\1/p'); do
			"$tool" -w -t "$table" -X "$chain" 2>/dev/null || true
		done
	done
}

# k8s_restore_machine puts back the sysctls, removes the nft tables and the
# paths that were not there before, and the CNI bridge.
k8s_restore_machine() {
	local f k v p t
	ip link del "$CNI_BRIDGE" 2>/dev/null || true
	ip addr del "$DNS_IP/32" dev lo 2>/dev/null || true
	[ -d "$DIR/before" ] || return 0
	for f in "$DIR"/before/sysctl.*; do
		[ -s "$f" ] || continue
		k=${f##*/sysctl.}
		v=$(cat "$f")
		[ "$(sysctl -n "$k" 2>/dev/null)" = "$v" ] || sysctl -qw "$k=$v" >/dev/null || true
	done
	nft list tables 2>/dev/null | sort | comm -13 "$DIR/before/nft-tables" - | while read -r t; do
		# Only a table the rig made (iptables-nft, for the kubelet's and
		# kube-proxy's chains) and that holds no rule now.
		nft list "$t" 2>/dev/null | grep -qvE '^\s*(table |chain |type |set |map |elements |flags |\}|$)' ||
			nft delete "$t" 2>/dev/null || true
	done
	while read -r p; do
		if [ -n "$p" ]; then rm -rf "$p"; fi
	done <"$DIR/before/absent"
}
