#!/usr/bin/env bash
# A real single-node Kubernetes for devstack's tests (make test-k8s; root):
#
#   rig.sh build                     build its programs (cached; installs the Debian packages)
#   rig.sh built                     exit 0 when the cached programs are up to date
#   rig.sh up DIR                    start it, its state in DIR; prints the KUBECONFIG path
#   rig.sh load-image DIR IMAGE...   copy Docker engine images into the node's containerd
#   rig.sh env DIR                   print KUBECONFIG and a PATH with the rig's kubectl
#   rig.sh down DIR                  stop it and leave nothing behind on the machine
#
# docs/testing.md describes it. Environment: DEVSTACK_K8S_CACHE (the
# binaries, default /var/cache/devstack-k8s), DEVSTACK_K8S_BUILD_P (go build
# -p, default 2), DEVSTACK_K8S_NODE_IP (default: the default route's address),
# DEVSTACK_K8S_WAIT (seconds up waits for another rig to go, default 0).
set -euo pipefail
RIG_SRC=$(cd "$(dirname "$0")" && pwd)
K8S_VERSION=$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" {print $3}' "$RIG_SRC/tools/go.mod")
K8S_CACHE=${DEVSTACK_K8S_CACHE:-/var/cache/devstack-k8s}
K8S_BIN=$K8S_CACHE/$K8S_VERSION/bin
K8S_PROGRAMS="kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy"

# One rig per machine: the directory of the running one, and the lock its
# processes hold (up.sh: k8s_lock), kept with the cache (which stays).
mkdir -p "$K8S_CACHE"
RIG_OWNER=$K8S_CACHE/rig.owner
RIG_LOCK=$K8S_CACHE/rig.lock
NODE_NAME=devstack-k8s
APISERVER_PORT=16443
ETCD_PORT=12379
ETCD_PEER_PORT=12380
SVC_CIDR=10.96.0.0/16
SVC_APISERVER_IP=10.96.0.1
POD_CIDR=10.244.0.0/24
CNI_BRIDGE=dsk8s0
# The cluster DNS: CoreDNS as a process of the machine, listening on an
# address of its own (on lo: this kernel may lack dummy links) that pods
# reach through their default route; the kubelet gives pods it as their
# nameserver.
COREDNS_VERSION=v1.12.1
DNS_IP=10.245.0.10
CLUSTER_DOMAIN=cluster.local
PAUSE_IMAGE=docker.io/devstack-k8s/pause:1
# Storage: no provisioner, but static hostPath PersistentVolumes of a class
# of the rig's own under DIR/volumes (up.sh: k8s_volumes).
STORAGE_CLASS=devstack-rig
PV_COUNT=4
# The sysctls the kubelet sets (and a few a Kubernetes node may), restored by down.
RIG_SYSCTLS="kernel.panic kernel.panic_on_oops vm.overcommit_memory vm.panic_on_oom kernel.keys.root_maxkeys
kernel.keys.root_maxbytes net.ipv4.conf.all.route_localnet net.bridge.bridge-nf-call-iptables
net.bridge.bridge-nf-call-ip6tables net.ipv4.ip_forward net.netfilter.nf_conntrack_max"
# Paths outside DIR that the kubelet, containerd or CNI create: removed by
# down when they were not there before up.
RIG_PATHS="/var/lib/kubelet /var/lib/cni /var/log/pods /var/log/containers /usr/libexec/kubernetes
/etc/kubernetes /var/run/kubernetes /run/containerd /etc/cni /opt/cni /run/netns /var/lib/containerd"

for f in build certs configs up down; do
	# shellcheck source=/dev/null
	. "$RIG_SRC/$f.sh"
done

k8s_kubectl() { "$K8S_BIN/kubectl" --kubeconfig "$DIR/kubeconfig" "$@"; }

# rig_dir DIR: the rig's absolute state dir.
rig_dir() {
	[ -n "${1:-}" ] || { echo "k8s-rig: DIR missing" >&2; exit 2; }
	[ "$cmd" = up ] && mkdir -p "$1"
	[ -d "$1" ] || { echo "k8s-rig: no rig in $1" >&2; exit "$([ "$cmd" = down ] && echo 0 || echo 1)"; }
	DIR=$(cd "$1" && pwd)
	CONTAINERD_SOCK=$DIR/containerd/containerd.sock
}

node_ip() {
	local dev
	if [ -n "${DEVSTACK_K8S_NODE_IP:-}" ]; then
		NODE_IP=$DEVSTACK_K8S_NODE_IP
		return
	fi
	dev=$(ip -4 -o route show default | awk '{for (i = 1; i < NF; i++) if ($i == "dev") print $(i+1)}' | head -1)
	NODE_IP=$(ip -4 -o addr show dev "${dev:-lo}" scope global 2>/dev/null | awk '{sub("/.*", "", $4); print $4}' | head -1)
	if [ -z "$NODE_IP" ]; then
		echo "k8s-rig: no address on the default route's interface: set DEVSTACK_K8S_NODE_IP" >&2
		exit 1
	fi
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
build) k8s_packages && k8s_build ;;
built) k8s_built ;;
up)
	rig_dir "${1:-}"
	node_ip
	k8s_packages
	if ! k8s_up; then
		if [ -d "$DIR/logs" ]; then
			echo "k8s-rig: up failed; the last lines of each log:" >&2
			tail -n 5 "$DIR"/logs/*.log >&2 || true
		fi
		if [ -d "$DIR/pids" ]; then k8s_down; else rmdir "$DIR" 2>/dev/null || true; fi
		exit 1
	fi
	;;
load-image)
	rig_dir "${1:-}"
	shift
	[ $# -gt 0 ] || { echo "k8s-rig: load-image DIR IMAGE..." >&2; exit 2; }
	docker save "$@" | ctr -a "$CONTAINERD_SOCK" -n k8s.io images import - >/dev/null
	;;
env)
	rig_dir "${1:-}"
	echo "export KUBECONFIG=$DIR/kubeconfig PATH=$K8S_BIN:\$PATH"
	;;
lock) echo "$RIG_LOCK" ;;
down)
	rig_dir "${1:-}"
	k8s_down
	;;
*)
	sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac
