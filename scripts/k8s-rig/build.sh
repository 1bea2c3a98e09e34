# shellcheck shell=bash
# Sourced by rig.sh: `rig.sh build` builds the rig's Kubernetes programs.

# k8s_build builds kube-apiserver, kube-controller-manager, kube-scheduler,
# kubelet, kube-proxy and kubectl from the tools module (tools/go.mod, of its
# own: devstack's go.mod never requires k8s.io/kubernetes) into $K8S_BIN,
# unless the binaries there were built from the same go.mod and go.sum.
# Cold: ~550 MB of modules and several minutes on 2 cores; the Go caches
# and $K8S_BIN make the next build free.
k8s_build() {
	local start p
	k8s_build_coredns || return 1
	if k8s_built; then
		echo "k8s-rig: Kubernetes $K8S_VERSION binaries and CoreDNS up to date in $K8S_BIN"
		return 0
	fi
	mkdir -p "$K8S_BIN"
	start=$(date +%s)
	# Niced, and DEVSTACK_K8S_BUILD_P=1 for a machine shared with other work.
	p=${DEVSTACK_K8S_BUILD_P:-2}
	local minor=${K8S_VERSION#v1.}
	minor=${minor%%.*}
	local x="" pkg
	for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
		x="$x -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
		x="$x -X $pkg.gitTreeState=clean"
	done
	echo "k8s-rig: building Kubernetes $K8S_VERSION ($K8S_PROGRAMS kubectl) into $K8S_BIN (-p=$p)"
	local targets=()
	for pkg in $K8S_PROGRAMS kubectl; do targets+=("k8s.io/kubernetes/cmd/$pkg"); done
	(cd "$RIG_SRC/tools" && CGO_ENABLED=0 GOFLAGS=-mod=mod nice -n 10 go build -p="$p" -trimpath \
		-ldflags "-s -w$x" -o "$K8S_BIN/" "${targets[@]}")
	k8s_build_stamp >"$K8S_BIN/.built-from"
	echo "k8s-rig: built in $(($(date +%s) - start)) s ($(du -sh "$K8S_BIN" | cut -f1) of binaries)"
}

# k8s_build_coredns builds CoreDNS $COREDNS_VERSION (the cluster DNS: its
# kubernetes plugin included) into $K8S_BIN unless it is there already
# (~2 min cold, ~100 MB).
k8s_build_coredns() {
	local start
	if k8s_coredns_built; then
		return 0
	fi
	mkdir -p "$K8S_BIN"
	start=$(date +%s)
	echo "k8s-rig: building CoreDNS $COREDNS_VERSION into $K8S_BIN"
	(cd "$RIG_SRC" && GOBIN="$K8S_BIN" CGO_ENABLED=0 GOFLAGS= nice -n 10 go install -p="${DEVSTACK_K8S_BUILD_P:-2}" \
		-trimpath -ldflags "-s -w" "github.com/coredns/coredns@$COREDNS_VERSION")
	echo "$COREDNS_VERSION" >"$K8S_BIN/.coredns-version"
	echo "k8s-rig: CoreDNS built in $(($(date +%s) - start)) s"
}

k8s_coredns_built() {
	[ -x "$K8S_BIN/coredns" ] && [ "$(cat "$K8S_BIN/.coredns-version" 2>/dev/null)" = "$COREDNS_VERSION" ]
}

# k8s_built: $K8S_BIN has every program, built from the tools module as it
# is now, and CoreDNS.
k8s_built() {
	[ "$(cat "$K8S_BIN/.built-from" 2>/dev/null)" = "$(k8s_build_stamp)" ] && k8s_have_bins && k8s_coredns_built
}

k8s_build_stamp() {
	cat "$RIG_SRC/tools/go.mod" "$RIG_SRC/tools/go.sum" | sha256sum | cut -c1-16
}

# k8s_have_bins: every program is in $K8S_BIN.
k8s_have_bins() {
	local b
	for b in $K8S_PROGRAMS kubectl; do
		[ -x "$K8S_BIN/$b" ] || return 1
	done
}

# k8s_packages installs the Debian packages the rig runs (etcd, containerd,
# the CNI plugins, openssl, busybox-static for the pause image) when missing.
k8s_packages() {
	local need=() pkg
	command -v etcd >/dev/null || need+=(etcd-server)
	command -v containerd >/dev/null && command -v ctr >/dev/null || need+=(containerd)
	[ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
	command -v openssl >/dev/null || need+=(openssl)
	dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
	command -v iptables >/dev/null || need+=(iptables)
	command -v conntrack >/dev/null || need+=(conntrack)
	[ ${#need[@]} -eq 0 ] && return 0
	echo "k8s-rig: installing ${need[*]}"
	for pkg in 1 2; do
		if DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${need[@]}" >/dev/null; then
			return 0
		fi
		[ "$pkg" = 1 ] && apt-get -o DPkg::Lock::Timeout=300 update -q >/dev/null
	done
	echo "k8s-rig: apt-get install ${need[*]} failed" >&2
	return 1
}
