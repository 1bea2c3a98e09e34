package mapping

import (
	"errors"
	"strings"
	"testing"

	"github.com/devstack/devstack/internal/composekeys"
	"github.com/devstack/devstack/internal/composetest"
	"github.com/devstack/devstack/internal/importcheck"
	"github.com/devstack/devstack/internal/kube/wire"
)

func TestPure(t *testing.T) { importcheck.Pure(t) }

func TestMap(t *testing.T) {
	for _, tc := range []struct {
		name    string
		compose string
		files   map[string][]byte
		images  map[string]wire.Image
		opts    wire.MapOptions
		want    []string // in the manifests
		notWant []string
		notes   []string // in the report
	}{
		{name: "replicated is a Deployment", compose: "services: {web: {image: nginx, deploy: {replicas: 3}}}",
			want: []string{"kind: Deployment", "replicas: 3", "image: nginx", "imagePullPolicy: IfNotPresent",
				"app.kubernetes.io/name: web", "app.kubernetes.io/part-of: demo", "app.kubernetes.io/managed-by: devstack",
				"com.docker.compose.service: web", "app.kubernetes.io/instance: demo-web", "enableServiceLinks: false"}},
		{name: "scale is replicas", compose: "services: {web: {image: nginx, scale: 2}}", want: []string{"replicas: 2"}},
		{name: "global is a DaemonSet", compose: "services: {agent: {image: a, deploy: {mode: global}}}",
			want: []string{"kind: DaemonSet"}, notWant: []string{"kind: Deployment"}},
		{name: "replicated-job is a Job", compose: "services: {migrate: {image: m, restart: 'no', deploy: {mode: replicated-job, replicas: 2}}}",
			want:    []string{"kind: Job", "completions: 2", "parallelism: 2", "restartPolicy: Never", "backoffLimit: 0"},
			notWant: []string{"kind: Service\n"}},
		{name: "job max_attempts", compose: "services: {m: {image: m, deploy: {mode: replicated-job, restart_policy: {condition: on-failure, max_attempts: 4}}}}",
			want: []string{"restartPolicy: OnFailure", "backoffLimit: 4"}},
		{name: "global-job runs once", compose: "services: {m: {image: m, deploy: {mode: global-job}}}",
			want: []string{"kind: Job", "completions: 1"}, notes: []string{"global-job runs once"}},
		{name: "one replica with a named volume is a StatefulSet", compose: "services: {db: {image: pg, volumes: [data:/var/lib/data]}}\nvolumes: {data: {}}",
			want: []string{"kind: StatefulSet", "serviceName: db", "kind: PersistentVolumeClaim", "name: data\n", "storage: 1Gi", "claimName: data", "mountPath: /var/lib/data"}},
		{name: "storage class and size", compose: "services: {db: {image: pg, volumes: [data:/d]}}\nvolumes: {data: {}}",
			opts: wire.MapOptions{StorageClass: "fast", VolumeSize: "5Gi"}, want: []string{"storageClassName: fast", "storage: 5Gi"}},
		{name: "replicas sharing a volume", compose: "services: {db: {image: pg, deploy: {replicas: 2}, volumes: [data:/d]}}\nvolumes: {data: {}}",
			want: []string{"kind: Deployment"}, notes: []string{"ReadWriteMany"}},
		{name: "external volume is not made", compose: "services: {db: {image: pg, volumes: [data:/d]}}\nvolumes: {data: {external: true, name: olddata}}",
			want: []string{"claimName: olddata"}, notWant: []string{"kind: PersistentVolumeClaim"}},
		{name: "anonymous volume", compose: "services: {db: {image: pg, volumes: [/cache]}}",
			want: []string{"emptyDir: {}", "mountPath: /cache"}, notes: []string{"anonymous volume"}},
		{name: "ClusterIP service for ports", compose: "services: {api: {image: a, expose: ['9000'], ports: ['8080']}}",
			want:    []string{"kind: Service", "port: 9000", "port: 8080", "name: tcp-9000", "containerPort: 8080"},
			notWant: []string{"type: NodePort", "clusterIP: None"}},
		{name: "published port is a NodePort", compose: "services: {web: {image: n, ports: ['30080:80']}}",
			want: []string{"type: NodePort", "nodePort: 30080", "port: 80", "kind: NetworkPolicy", "name: web-published"}},
		{name: "published port outside the node port range", compose: "services: {web: {image: n, ports: ['8080:80']}}",
			want: []string{"type: NodePort"}, notWant: []string{"nodePort:"}, notes: []string{"outside the node port range"}},
		{name: "load balancer", compose: "services: {web: {image: n, ports: ['8080:80']}}", opts: wire.MapOptions{LoadBalancer: true},
			want: []string{"type: LoadBalancer", "port: 8080", "targetPort: 80"}},
		{name: "udp", compose: "services: {dns: {image: d, ports: ['53/udp']}}", want: []string{"protocol: UDP", "name: udp-53"}},
		{name: "no ports: headless so the name resolves", compose: "services: {w: {image: w}}",
			want: []string{"kind: Service", "clusterIP: None"}},
		{name: "healthcheck probes", compose: `services: {db: {image: pg, healthcheck: {test: ["CMD", "pg_isready"], interval: 5s, timeout: 2s, retries: 4, start_period: 20s}}}`,
			want: []string{"readinessProbe:", "livenessProbe:", "startupProbe:", "- pg_isready", "periodSeconds: 5", "timeoutSeconds: 2", "failureThreshold: 4", "failureThreshold: 8"}},
		{name: "shell healthcheck", compose: `services: {db: {image: pg, healthcheck: {test: "curl -f localhost"}}}`,
			want: []string{"- /bin/sh", "- -c", "- curl -f localhost", "periodSeconds: 30"}, notWant: []string{"startupProbe"}},
		{name: "disabled healthcheck", compose: `services: {db: {image: pg, healthcheck: {disable: true}}}`, notWant: []string{"Probe"}},
		{name: "sub-second healthcheck rounded", compose: `services: {db: {image: pg, healthcheck: {test: ["CMD", "x"], interval: 500ms}}}`,
			want: []string{"periodSeconds: 1"}, notes: []string{"rounded up"}},
		{name: "environment and secret-looking values", compose: "services: {db: {image: pg, environment: {POSTGRES_USER: app, POSTGRES_PASSWORD: hunter2, API_TOKEN: t}}}",
			want:    []string{"name: POSTGRES_USER\n          value: app", "secretKeyRef:", "key: POSTGRES_PASSWORD", "kind: Secret", "name: db-env-"},
			notWant: []string{"value: hunter2"}, notes: []string{"API_TOKEN, POSTGRES_PASSWORD look secret"}},
		{name: "unset variable left out", compose: "services: {w: {image: w, environment: [UNSET_HERE]}}",
			notWant: []string{"UNSET_HERE"}, notes: []string{"UNSET_HERE: no value"}},
		{name: "command and entrypoint", compose: `services: {w: {image: w, entrypoint: ["/bin/app"], command: ["serve", "--x"], working_dir: /srv}}`,
			want: []string{"command:\n        - /bin/app", "args:\n        - serve\n        - --x", "workingDir: /srv"}},
		{name: "config content-named", compose: "services: {w: {image: w, configs: [{source: site, target: /etc/site.conf, mode: 0440}]}}\nconfigs: {site: {file: ./site.conf}}",
			files: map[string][]byte{"config:site": []byte("listen 80;")},
			want:  []string{"kind: ConfigMap", "name: site-", "mountPath: /etc/site.conf", "subPath: site", "mode: 288", "immutable: true"}},
		{name: "config without content", compose: "services: {w: {image: w, configs: [site]}}\nconfigs: {site: {file: ./site.conf}}",
			notWant: []string{"kind: ConfigMap"}, notes: []string{"config site not mapped"}},
		{name: "secret", compose: "services: {w: {image: w, secrets: [pw]}}\nsecrets: {pw: {file: ./pw.txt}}",
			files: map[string][]byte{"secret:pw": []byte("s3cret")},
			want:  []string{"kind: Secret", "mountPath: /run/secrets/pw", "secretName: pw-"}, notWant: []string{"s3cret"}},
		{name: "small project file bind mount", compose: "services: {w: {image: w, volumes: ['/proj/nginx.conf:/etc/nginx/nginx.conf:ro']}}",
			files: map[string][]byte{"bind:/proj/nginx.conf": []byte("events {}")},
			want:  []string{"kind: ConfigMap", "name: w-nginx-conf-", "subPath: nginx.conf", "mountPath: /etc/nginx/nginx.conf"}},
		{name: "host path refused", compose: "services: {w: {image: w, volumes: ['/var/run/docker.sock:/var/run/docker.sock']}}",
			notWant: []string{"hostPath", "docker.sock"}, notes: []string{"bind mount of host path /var/run/docker.sock refused"}},
		{name: "tmpfs", compose: "services: {w: {image: w, tmpfs: ['/run:size=64m'], volumes: [{type: tmpfs, target: /scratch, tmpfs: {size: 1048576}}]}}",
			want: []string{"medium: Memory", "sizeLimit: 64Mi", "sizeLimit: 1Mi", "mountPath: /run", "mountPath: /scratch"}},
		{name: "resources", compose: "services: {w: {image: w, deploy: {resources: {limits: {cpus: '0.5', memory: 256M}, reservations: {cpus: '0.25', memory: 128M}}}}}",
			want: []string{"limits:\n            cpu: 500m\n            memory: 256Mi", "requests:\n            cpu: 250m\n            memory: 128Mi"}},
		{name: "security", compose: "services: {w: {image: w, user: '1000:2000', cap_add: [NET_ADMIN], cap_drop: [ALL], read_only: true, privileged: true, sysctls: {net.core.somaxconn: '1024'}, security_opt: [no-new-privileges:true]}}",
			want: []string{"runAsUser: 1000", "runAsGroup: 2000", "- NET_ADMIN", "- ALL", "readOnlyRootFilesystem: true", "privileged: true", "name: net.core.somaxconn", "allowPrivilegeEscalation: false"}},
		{name: "user name not mapped", compose: "services: {w: {image: w, user: nobody}}", notWant: []string{"runAsUser"}, notes: []string{"numeric UID"}},
		{name: "stop_grace_period", compose: "services: {w: {image: w, stop_grace_period: 1m30s}}", want: []string{"terminationGracePeriodSeconds: 90"}},
		{name: "restart no on a deployment", compose: "services: {w: {image: w, restart: 'no'}}", notes: []string{`restart: "no" not mapped`}},
		{name: "labels", compose: "services: {w: {image: w, labels: {tier: front, 'bad key!': x}}}",
			want: []string{"tier: front", "annotations:\n        bad key!: x"}, notes: []string{"bad key!: not valid Kubernetes labels"}},
		{name: "extra_hosts", compose: "services: {w: {image: w, extra_hosts: ['db.local=10.0.0.5', 'cache.local=10.0.0.5', 'gw=host-gateway']}}",
			want: []string{"hostAliases:", "- cache.local\n        - db.local", "ip: 10.0.0.5"}, notes: []string{"gw:host-gateway not mapped"}},
		{name: "hooks", compose: `services: {w: {image: w, post_start: [{command: ["touch", "/ready"]}], pre_stop: [{command: ["drain"], user: root}]}}`,
			want: []string{"postStart:", "- touch", "preStop:", "- drain"}, notes: []string{"pre_stop: user, privileged"}},
		{name: "devices refused", compose: "services: {w: {image: w, devices: ['/dev/kvm:/dev/kvm']}}", notWant: []string{"/dev/kvm"},
			notes: []string{"devices: not mapped: host devices are refused"}},
		{name: "network_mode host", compose: "services: {w: {image: w, network_mode: host}}", want: []string{"hostNetwork: true"}, notes: []string{"network_mode: host"}},
		{name: "network_mode service refused", compose: "services: {a: {image: a}, w: {image: w, network_mode: 'service:a'}}", notes: []string{`network_mode: "service:a" refused`}},
		{name: "networks become NetworkPolicies", compose: "services: {web: {image: w, networks: [front, back]}, db: {image: d, networks: [back]}}\nnetworks: {front: {}, back: {}}",
			want: []string{"kind: NetworkPolicy", "name: network-back", "name: network-front", "network.devstack.dev/back: \"true\"", "network.devstack.dev/front: \"true\""}},
		{name: "depends_on orders the workloads", compose: "services: {web: {image: w, depends_on: [api]}, api: {image: a, depends_on: [db]}, db: {image: d}}",
			want: []string{"deployment-db.yaml", "deployment-api.yaml", "deployment-web.yaml"}},
		{name: "depends_on: no init containers unless asked", compose: "services: {web: {image: w, depends_on: [api]}, api: {image: a, expose: ['8000']}}",
			notWant: []string{"initContainers"}},
		{name: "depends_on: init containers wait for a TCP port or a headless name", opts: wire.MapOptions{DependsOnInit: true},
			compose: "services: {web: {image: w, user: '1000', depends_on: {api: {condition: service_healthy}, db: {condition: service_started}}}, api: {image: a, expose: ['53/udp', '8000', '9000']}, db: {image: d}}",
			want: []string{"initContainers:\n      - command:\n        - /bin/sh\n        - -c", "name: wait-api", "nc -w 2 api 8000 </dev/null", "/dev/tcp/api/8000",
				"name: wait-db", "getent hosts db", "nslookup db${d:+.$d} >/dev/null", "image: w\n        imagePullPolicy: IfNotPresent\n        name: wait-api\n        resources: {}\n        securityContext:\n          runAsUser: 1000"},
			notWant: []string{"wait-web"}},
		{name: "depends_on: init containers in an image given", opts: wire.MapOptions{DependsOnInit: true, InitImage: "busybox:1.36"},
			compose: "services: {web: {image: w, pull_policy: never, depends_on: [api]}, api: {image: a, ports: ['8080:80']}}",
			want:    []string{"image: busybox:1.36\n        imagePullPolicy: IfNotPresent\n        name: wait-api", "nc -w 2 api 80 </dev/null"}},
		{name: "depends_on: a Job and a UDP-only service are not waited for", opts: wire.MapOptions{DependsOnInit: true},
			compose: "services: {web: {image: w, depends_on: {migrate: {condition: service_completed_successfully}, dns: {condition: service_started}}}, migrate: {image: m, deploy: {mode: replicated-job}}, dns: {image: d, expose: ['53/udp']}}",
			notWant: []string{"initContainers"},
			notes:   []string{"depends_on: migrate: no init container waits for it (a pod cannot see a Job complete", "depends_on: dns: no init container waits for it: it listens on no TCP port"}},
		{name: "name made DNS", compose: "services: {My_Svc: {image: w}}", want: []string{"name: my-svc"}, notes: []string{"named my-svc"}},
		{name: "build only image name", compose: "services: {app: {build: .}}", want: []string{"image: demo-app", "imagePullPolicy: IfNotPresent"}, notes: []string{"deploy --build"}},
		{name: "built image pushed: pinned to its digest, its ID annotated", compose: "services: {app: {build: ., image: reg:5000/app:1}}",
			images: map[string]wire.Image{"app": {ID: "sha256:1d", Digest: "sha256:d1"}},
			want:   []string{"image: reg:5000/app:1@sha256:d1", "devstack.dev/image-id: sha256:1d"}},
		{name: "built image only on the engine: its ID annotated", compose: "services: {app: {build: .}}",
			images: map[string]wire.Image{"app": {ID: "sha256:1d"}},
			want:   []string{"image: demo-app\n", "annotations:\n        devstack.dev/image-id: sha256:1d"}},
		{name: "image already pinned stays", compose: "services: {app: {build: ., image: 'reg/app@sha256:aa'}}",
			images: map[string]wire.Image{"app": {ID: "sha256:1d", Digest: "sha256:d1"}},
			want:   []string{"image: reg/app@sha256:aa\n"}},
		{name: "no built image: no annotation", compose: "services: {app: {build: ., image: reg/app:1}}",
			want: []string{"image: reg/app:1\n"}, notWant: []string{"image-id"}},
		{name: "pull_policy never and always", compose: "services: {a: {image: a, pull_policy: never}, b: {image: b, pull_policy: always}}",
			want: []string{"imagePullPolicy: Never", "imagePullPolicy: Always"}},
		{name: "placement", compose: "services: {w: {image: w, platform: linux/arm64, deploy: {placement: {constraints: ['node.labels.zone==a', 'node.role==manager']}}}}",
			want: []string{"nodeSelector:", "zone: a", "kubernetes.io/arch: arm64"}, notes: []string{`"node.role==manager" not mapped`}},
		{name: "update_config start-first", compose: "services: {w: {image: w, deploy: {update_config: {parallelism: 2, order: start-first}}}}",
			want: []string{"maxSurge: 2", "maxUnavailable: 0"}},
		{name: "unmapped keys reported", compose: "services: {w: {image: w, container_name: xy, ulimits: {nofile: 1024}, logging: {driver: json-file}}}",
			notes: []string{"container_name: not mapped", "ulimits: not mapped", "logging: not mapped"}},
		{name: "namespace set", compose: "services: {w: {image: w}}", opts: wire.MapOptions{Namespace: "team"}, want: []string{"namespace: team"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, notes := mappedIn(t, tc.compose, Input{Files: tc.files, Images: tc.images}, tc.opts)
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("manifests lack %q:\n%s", w, out)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(out, w) {
					t.Errorf("manifests have %q:\n%s", w, out)
				}
			}
			all := strings.Join(notes, "\n")
			for _, w := range tc.notes {
				if !strings.Contains(all, w) {
					t.Errorf("report lacks %q:\n%s", w, all)
				}
			}
		})
	}
}

func TestMapRefuses(t *testing.T) {
	for _, tc := range []struct{ name, compose, want string }{
		{"names collide", "services: {a_b: {image: x}, a-b: {image: y}}", "services a-b and a_b both become a-b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Map(Input{Project: composetest.Load(t, tc.compose)}, wire.MapOptions{})
			if !errors.Is(err, wire.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// Every key compose-go knows is mapped or has a reason not to be.
func TestEveryKeyAccounted(t *testing.T) {
	for _, kv := range composekeys.Service(composetest.Service("x")) {
		_, unmapped := unmappedKeys[kv.Key]
		if mappedKeys[kv.Key] == unmapped {
			t.Errorf("key %s: mapped %v, unmapped %v; want exactly one", kv.Key, mappedKeys[kv.Key], unmapped)
		}
	}
}

func TestContentNameChangesWithContent(t *testing.T) {
	a := contentName("site", map[string][]byte{"site": []byte("a")})
	b := contentName("site", map[string][]byte{"site": []byte("b")})
	if a == b || !strings.HasPrefix(a, "site-") {
		t.Fatalf("%s and %s", a, b)
	}
}
