#!/usr/bin/env bash
# snapshot.sh FILE: what a Kubernetes node can leave on the machine, in one
# comparable file: sysctls (less the counters and per-interface keys that
# change by themselves), links that are not the engine's, lo's addresses,
# KUBE-/CNI- chains and rules, nft tables, mounts and cgroups of pods, and
# the paths the node writes to. check-clean.sh compares one taken before `rig.sh up` with one
# taken after `rig.sh down`.
set -uo pipefail
{
	echo "## sysctl"
	sysctl -a 2>/dev/null | grep -vE '^(kernel\.(random|ns_last_pid|pty\.nr|sched_domain)|fs\.(dentry-state|file-nr|inode-nr|inode-state|quota)|net\.netfilter\.nf_conntrack_count|vm\.(stat_refresh|nr_|drop_caches)|net\.ipv[46]\.(conf|neigh)\.[^.]+\.|net\.ipv6\.route\.|kernel\.perf_event|kernel\.tainted|fs\.aio-nr|user\.)' |
		grep -vE '^net\.ipv[46]\.(conf|neigh)\.' | sort
	sysctl -a 2>/dev/null | grep -E '^net\.ipv[46]\.(conf|neigh)\.(all|default)\.' | sort
	echo "## links (not the engine's)"
	ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -vE '^(veth|br-|docker|podman|lo$|eth)' | sort
	# CNI names veths veth + 8 hex digits (the engine's have 7).
	ip -o link show type veth | grep -v ' master ' | awk -F': ' '{print $2}' | sed 's/@.*//' |
		grep -E '^veth[0-9a-f]{8}$' | sed 's/^/CNI veth without master: /' | sort
	echo "## addresses of lo"
	ip -o addr show dev lo | awk '{print $4}' | sort
	echo "## iptables KUBE-/CNI-"
	for t in iptables ip6tables; do
		"$t-save" 2>/dev/null | grep -E 'KUBE-|CNI-|10\.244\.|10\.96\.|dsk8s0' | sed "s/^/$t /"
	done
	echo "## nft tables"
	nft list tables 2>/dev/null | sort
	echo "## mounts"
	# (not the engine's netns, nor Podman's netns-UUID)
	grep -E 'netns|kubelet|containerd|cni|devstack-k8s' /proc/self/mounts | awk '{print $2, $3}' |
		grep -vE '^/run/docker/netns/|^/run/netns/netns-' | sort
	echo "## cgroups"
	find /sys/fs/cgroup -maxdepth 3 -type d -name 'kubepods*' 2>/dev/null | sort
	echo "## paths"
	for p in /var/lib/kubelet /var/lib/cni /var/log/pods /var/log/containers /usr/libexec/kubernetes \
		/etc/kubernetes /var/run/kubernetes /run/containerd /etc/cni /opt/cni /run/netns /var/lib/containerd; do
		[ -e "$p" ] && echo "$p"
	done
	ls /run/netns 2>/dev/null | grep '^cni-' | sed 's|^|/run/netns/|'
	echo "## processes"
	ps -eo comm=,args= | awk '$1 ~ /^(kube-|kubelet|etcd|coredns)/ || ($1 == "containerd" && /containerd\/config\.toml/) {print $1}' | sort
} >"$1"
