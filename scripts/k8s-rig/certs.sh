# shellcheck shell=bash
# Sourced by rig.sh: the rig's certificates and kubeconfigs (openssl; P-256
# keys, quick to make).

# k8s_certs makes the CA, the apiserver's serving certificate, a client
# certificate (and kubeconfig) per component and the service-account key
# under $DIR/pki.
k8s_certs() {
	local pki=$DIR/pki
	mkdir -p "$pki"
	(
		cd "$pki"
		openssl ecparam -name prime256v1 -genkey -noout -out ca.key 2>/dev/null
		openssl req -x509 -new -key ca.key -days 2 -subj "/CN=devstack-k8s-rig-ca" -out ca.crt 2>/dev/null
		openssl ecparam -name prime256v1 -genkey -noout -out sa.key 2>/dev/null
		openssl ec -in sa.key -pubout -out sa.pub 2>/dev/null
		k8s_cert apiserver "kube-apiserver" "" \
			"IP:127.0.0.1,IP:$NODE_IP,IP:$SVC_APISERVER_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" serverAuth
		k8s_cert admin "devstack-k8s-admin" system:masters "" clientAuth
		k8s_cert apiserver-kubelet "kube-apiserver-kubelet-client" system:masters "" clientAuth
		k8s_cert kubelet "system:node:$NODE_NAME" system:nodes "" clientAuth
		k8s_cert controller-manager system:kube-controller-manager "" "" clientAuth
		k8s_cert scheduler system:kube-scheduler "" "" clientAuth
		k8s_cert kube-proxy system:kube-proxy "" "" clientAuth
	)
	local c
	for c in admin kubelet controller-manager scheduler kube-proxy; do
		k8s_kubeconfig "$c" >"$DIR/$c.kubeconfig"
	done
	mv "$DIR/admin.kubeconfig" "$DIR/kubeconfig"
}

# k8s_cert NAME CN O SANS USAGE: NAME.key and NAME.crt signed by the CA.
k8s_cert() {
	local name=$1 cn=$2 org=$3 sans=$4 usage=$5 subj ext
	subj="/CN=$cn"
	[ -n "$org" ] && subj="/O=$org$subj"
	ext="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=$usage"
	[ -n "$sans" ] && ext="$ext
subjectAltName=$sans"
	openssl ecparam -name prime256v1 -genkey -noout -out "$name.key" 2>/dev/null
	openssl req -new -key "$name.key" -subj "$subj" -out "$name.csr" 2>/dev/null
	openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
		-extfile <(echo "$ext") -out "$name.crt" 2>/dev/null
	rm -f "$name.csr"
}

# k8s_kubeconfig NAME prints a kubeconfig for the client certificate NAME.
k8s_kubeconfig() {
	cat <<EOF
apiVersion: v1
kind: Config
clusters:
- name: devstack-k8s
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority: $DIR/pki/ca.crt
users:
- name: $1
  user:
    client-certificate: $DIR/pki/$1.crt
    client-key: $DIR/pki/$1.key
contexts:
- name: devstack-k8s
  context:
    cluster: devstack-k8s
    user: $1
current-context: devstack-k8s
EOF
}
