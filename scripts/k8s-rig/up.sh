# shellcheck shell=bash
# Sourced by rig.sh: `rig.sh up DIR` starts the rig.

# k8s_up records what the machine looks like before (so that down restores
# exactly that), then starts etcd, the control plane, a containerd of the
# rig's own, the kubelet and kube-proxy, and waits until the node is Ready,
# the default service account exists and kube-proxy has written its rules.
k8s_up() {
	local start owner
	start=$(date +%s.%N)
	k8s_have_bins && k8s_coredns_built || { echo "k8s-rig: no binaries in $K8S_BIN: run rig.sh build first" >&2; return 1; }
	k8s_lock || return 1
	k8s_ports_free || return 1
	mkdir -p "$DIR/logs" "$DIR/pids" "$DIR/before"
	echo "$DIR" >"$RIG_OWNER"
	# Called in an `if`, where set -e does not hold: each step says.
	k8s_record_before && k8s_certs && k8s_configs && k8s_pause_image || return 1
	k8s_start etcd etcd --name rig --data-dir "$DIR/etcd" \
		--listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
		--listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
		--initial-cluster "rig=http://127.0.0.1:$ETCD_PEER_PORT" --logger zap --log-level warn
	k8s_start containerd containerd --config "$DIR/containerd/config.toml"
	k8s_start_apiserver
	k8s_wait 60 "apiserver ready" k8s_kubectl get --raw /readyz || return 1
	k8s_start_controllers
	k8s_start_dns || return 1
	k8s_wait 30 "containerd answering" ctr -a "$CONTAINERD_SOCK" version || return 1
	ctr -a "$CONTAINERD_SOCK" -n k8s.io images import "$DIR/pause.tar" >/dev/null || return 1
	k8s_start kubelet "$K8S_BIN/kubelet" --config "$DIR/kubelet.yaml" --kubeconfig "$DIR/kubelet.kubeconfig" \
		--root-dir "$DIR/kubelet" --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --v=1
	k8s_start kube-proxy "$K8S_BIN/kube-proxy" --config "$DIR/kube-proxy.yaml" --v=1
	k8s_wait 60 "node $NODE_NAME Ready" k8s_node_ready || return 1
	k8s_wait 30 "service account default/default" k8s_kubectl get serviceaccount default || return 1
	k8s_wait 30 "kube-proxy's rules" iptables -t nat -n -L KUBE-SERVICES || return 1
	k8s_wait 30 "kube-proxy's filter rules" iptables -n -L KUBE-SERVICES || return 1
	k8s_service_rejects || return 1
	k8s_wait 30 "cluster DNS on $DNS_IP" busybox nslookup "kubernetes.default.svc.$CLUSTER_DOMAIN" "$DNS_IP" || return 1
	k8s_volumes || return 1
	echo "k8s-rig: Kubernetes $K8S_VERSION up in $(k8s_since "$start") s (node $NODE_NAME, $NODE_IP)" >&2
	echo "$DIR/kubeconfig"
}

# k8s_lock takes the machine's rig lock on fd 9, which every process of the
# rig inherits: it stays held while any of them runs, so a second rig
# cannot start (DEVSTACK_K8S_WAIT: seconds to wait for it, default 0), and
# a rig whose processes all died frees it. Such a rig's leftovers are then
# removed first (down of its dir).
k8s_lock() {
	local owner
	exec 9>>"$RIG_LOCK"
	if ! flock -w "${DEVSTACK_K8S_WAIT:-0}" 9; then
		echo "k8s-rig: a rig is up on this machine (state in $(cat "$RIG_OWNER" 2>/dev/null)): one at a time" >&2
		exec 9>&-
		return 1
	fi
	RIG_LOCKED=1
	if owner=$(cat "$RIG_OWNER" 2>/dev/null) && [ "$owner" != "$DIR" ] && [ -d "$owner/pids" ]; then
		echo "k8s-rig: removing what the rig in $owner left (its processes ended)" >&2
		(DIR=$owner CONTAINERD_SOCK=$owner/containerd/containerd.sock k8s_down) || true
	fi
}

# k8s_ports_free: nothing listens on the rig's ports yet (a Kubernetes not
# started by this script would otherwise answer in its place).
k8s_ports_free() {
	local port
	for port in $ETCD_PORT $ETCD_PEER_PORT $APISERVER_PORT 10248 10249 10250 10256; do
		if [ -n "$(ss -ltnH "sport = :$port" 2>/dev/null)" ]; then
			echo "k8s-rig: port $port is in use (another Kubernetes on this machine?)" >&2
			return 1
		fi
	done
}

# k8s_record_before saves what down must put back: the sysctls the kubelet
# changes, the nft tables, the paths the kubelet, containerd and CNI create
# outside DIR, and whether /run/netns is a mount point.
k8s_record_before() {
	local k p
	for k in $RIG_SYSCTLS; do
		sysctl -n "$k" >"$DIR/before/sysctl.$k" 2>/dev/null || true
	done
	nft list tables 2>/dev/null | sort >"$DIR/before/nft-tables" || true
	: >"$DIR/before/absent"
	for p in $RIG_PATHS; do
		[ -e "$p" ] || echo "$p" >>"$DIR/before/absent"
	done
	mountpoint -q /run/netns && touch "$DIR/before/netns-mounted"
	ls /run/netns 2>/dev/null | sort >"$DIR/before/netns" || true
}

# k8s_start NAME PROGRAM ARGS...: runs it in the background in a session of
# its own, its output in logs/NAME.log, its pid in pids/NAME.
k8s_start() {
	local name=$1
	shift
	setsid "$@" </dev/null >"$DIR/logs/$name.log" 2>&1 &
	echo $! >"$DIR/pids/$name"
}

k8s_start_apiserver() {
	local p=$DIR/pki
	k8s_start kube-apiserver "$K8S_BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
		--secure-port "$APISERVER_PORT" --advertise-address "$NODE_IP" --service-cluster-ip-range "$SVC_CIDR" \
		--authorization-mode Node,RBAC --allow-privileged=true --client-ca-file "$p/ca.crt" \
		--tls-cert-file "$p/apiserver.crt" --tls-private-key-file "$p/apiserver.key" \
		--kubelet-client-certificate "$p/apiserver-kubelet.crt" --kubelet-client-key "$p/apiserver-kubelet.key" \
		--service-account-key-file "$p/sa.pub" --service-account-signing-key-file "$p/sa.key" \
		--service-account-issuer https://kubernetes.default.svc.cluster.local --cert-dir "$DIR/apiserver" \
		--kubelet-preferred-address-types InternalIP,Hostname --profiling=false --v=1
}

# k8s_start_dns starts CoreDNS on $DNS_IP:53 (an address of lo's):
# its kubernetes plugin answers for $CLUSTER_DOMAIN from the apiserver
# (Services by name as NAME, NAME.NAMESPACE, ...svc.$CLUSTER_DOMAIN), other
# names go to the machine's resolvers.
k8s_start_dns() {
	ip addr add "$DNS_IP/32" dev lo || return 1
	cat >"$DIR/Corefile" <<CONF
.:53 {
	bind $DNS_IP
	errors
	kubernetes $CLUSTER_DOMAIN in-addr.arpa ip6.arpa {
		kubeconfig $DIR/kubeconfig
		pods insecure
		fallthrough in-addr.arpa ip6.arpa
	}
	forward . /etc/resolv.conf
	cache 5
}
CONF
	k8s_start coredns "$K8S_BIN/coredns" -conf "$DIR/Corefile"
}

k8s_start_controllers() {
	k8s_start kube-controller-manager "$K8S_BIN/kube-controller-manager" --kubeconfig "$DIR/controller-manager.kubeconfig" \
		--authentication-kubeconfig "$DIR/controller-manager.kubeconfig" --authorization-kubeconfig "$DIR/controller-manager.kubeconfig" \
		--use-service-account-credentials --leader-elect=false --service-account-private-key-file "$DIR/pki/sa.key" \
		--root-ca-file "$DIR/pki/ca.crt" --cluster-signing-cert-file "$DIR/pki/ca.crt" --cluster-signing-key-file "$DIR/pki/ca.key" \
		--service-cluster-ip-range "$SVC_CIDR" --secure-port 0 --cert-dir "$DIR/controller-manager" \
		--flex-volume-plugin-dir "$DIR/controller-manager/volume-plugins" --profiling=false --v=1
	k8s_start kube-scheduler "$K8S_BIN/kube-scheduler" --kubeconfig "$DIR/scheduler.kubeconfig" \
		--authentication-kubeconfig "$DIR/scheduler.kubeconfig" --authorization-kubeconfig "$DIR/scheduler.kubeconfig" \
		--leader-elect=false --secure-port 0 --cert-dir "$DIR/scheduler" --profiling=false --v=1
}

# k8s_pause_image writes pause.tar, the sandbox image: FROM scratch with the
# static busybox, sleeping (an image archive made by hand: no engine needed).
k8s_pause_image() {
	local d=$DIR/pause layer cfg arch
	mkdir -p "$d/rootfs/bin" "$d/image"
	cp /bin/busybox "$d/rootfs/bin/busybox"
	tar --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$d/rootfs" -cf "$d/layer.tar" bin
	layer=$(sha256sum "$d/layer.tar" | cut -d' ' -f1)
	mkdir -p "$d/image/$layer"
	mv "$d/layer.tar" "$d/image/$layer/layer.tar"
	arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
	printf '{"architecture":"%s","os":"linux","config":{"Entrypoint":["/bin/busybox","sleep","2147483647"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
		"$arch" "$layer" >"$d/config.json"
	cfg=$(sha256sum "$d/config.json" | cut -d' ' -f1)
	mv "$d/config.json" "$d/image/$cfg.json"
	printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' "$cfg" "$PAUSE_IMAGE" "$layer" >"$d/image/manifest.json"
	tar -C "$d/image" -cf "$DIR/pause.tar" .
	rm -rf "$d"
}

# k8s_volumes makes storage class $STORAGE_CLASS (no provisioner: the rig
# has none) and $PV_COUNT static hostPath PersistentVolumes of it, each a
# directory under DIR/volumes (down removes DIR). A claim of the class binds
# one; they are retained (Released) once their claim goes, not reused.
k8s_volumes() {
	local i
	{
		printf 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: %s}\n' "$STORAGE_CLASS"
		printf 'provisioner: kubernetes.io/no-provisioner\nvolumeBindingMode: Immediate\nreclaimPolicy: Retain\n'
		for i in $(seq "$PV_COUNT"); do
			mkdir -p "$DIR/volumes/pv-$i"
			printf -- '---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: rig-pv-%s}\n' "$i"
			printf 'spec:\n  storageClassName: %s\n  capacity: {storage: 10Gi}\n' "$STORAGE_CLASS"
			printf '  accessModes: [ReadWriteOnce]\n  persistentVolumeReclaimPolicy: Retain\n'
			printf '  hostPath: {path: %s, type: Directory}\n' "$DIR/volumes/pv-$i"
		done
	} | k8s_kubectl apply -f - >/dev/null
}

# k8s_service_rejects: a pod's connection to a Service with no ready pod is
# refused, as on any cluster: kube-proxy's KUBE-SERVICES (filter) rejects
# it, but the CNI firewall plugin's per-pod ACCEPT in FORWARD comes first,
# and this machine's network then answers any address. CNI-ADMIN, the chain
# the plugin keeps for the administrator's rules before its own, sends new
# connections through KUBE-SERVICES first. down removes both chains.
k8s_service_rejects() {
	iptables -w -N CNI-ADMIN 2>/dev/null || true
	iptables -w -C CNI-ADMIN -m conntrack --ctstate NEW -j KUBE-SERVICES 2>/dev/null ||
		iptables -w -A CNI-ADMIN -m conntrack --ctstate NEW -j KUBE-SERVICES
}

k8s_node_ready() {
	[ "$(k8s_kubectl get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}

# k8s_wait SECONDS WHAT COMMAND...: polls COMMAND every 0.2 s.
k8s_wait() {
	local secs=$1 what=$2 deadline
	shift 2
	deadline=$(($(date +%s) + secs))
	until "$@" >/dev/null 2>&1; do
		if [ "$(date +%s)" -ge "$deadline" ]; then
			echo "k8s-rig: $what: not within ${secs}s (logs in $DIR/logs)" >&2
			return 1
		fi
		sleep 0.2
	done
}

k8s_since() {
	echo "$(date +%s.%N) $1" | awk '{printf "%.1f", $1 - $2}'
}
