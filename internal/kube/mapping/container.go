package mapping

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/utils/ptr"

	"github.com/devstack/devstack/internal/kube/wire"
)

// container is the service's one container.
func (m *mapper) container(s types.ServiceConfig) (corev1.Container, error) {
	image, err := m.image(s)
	if err != nil {
		return corev1.Container{}, err
	}
	env, err := m.env(s)
	if err != nil {
		return corev1.Container{}, err
	}
	c := corev1.Container{
		Name:            m.names[s.Name],
		Image:           image,
		ImagePullPolicy: m.pullPolicy(s),
		Command:         s.Entrypoint,
		Args:            s.Command,
		WorkingDir:      s.WorkingDir,
		Env:             env,
		Ports:           containerPorts(s),
		Resources:       m.resources(s),
		SecurityContext: m.security(s),
		Stdin:           s.StdinOpen,
		TTY:             s.Tty,
		Lifecycle:       m.lifecycle(s),
	}
	m.probes(s, &c)
	return c, nil
}

// image is the service's image: a service that only builds is named as
// compose names its image, PROJECT-SERVICE. A built image pushed to its
// registry is pinned to the digest pushed (NAME:TAG@DIGEST): the nodes
// then run that content even where an older image has the same tag
// (imagePullPolicy IfNotPresent).
func (m *mapper) image(s types.ServiceConfig) (string, error) {
	name := s.Image
	if name == "" && s.Build != nil {
		name = m.p.Name + "-" + s.Name
	}
	if name == "" {
		return "", fmt.Errorf("%w: service %s has neither image nor build", wire.ErrInvalid, s.Name)
	}
	if d := m.in.Images[s.Name].Digest; d != "" && !strings.Contains(name, "@") {
		return name + "@" + d, nil
	}
	return name, nil
}

// pullPolicy follows compose's pull_policy: missing (compose's default)
// and build are IfNotPresent, so an image built or imported on the nodes
// is used as it is; never is Never; always and the refresh intervals are
// Always.
func (m *mapper) pullPolicy(s types.ServiceConfig) corev1.PullPolicy {
	switch p := s.PullPolicy; {
	case p == types.PullPolicyNever:
		return corev1.PullNever
	case p == types.PullPolicyAlways:
		return corev1.PullAlways
	case p == types.PullPolicyBuild:
		m.note(s.Name, "pull_policy", "build: Kubernetes does not build; the image must be on the nodes or in a registry (deploy --build pushes it)")
	case strings.HasPrefix(p, "every_") || p == "daily" || p == "weekly" || p == types.PullPolicyRefresh:
		m.note(s.Name, "pull_policy", "%s mapped to Always: Kubernetes pulls on every start or never", p)
		return corev1.PullAlways
	}
	if s.Build != nil && s.PullPolicy == "" {
		m.note(s.Name, "build", "not run by the mapping: the image %s must be on the nodes or in a registry (deploy --build builds and pushes it)", s.Image)
	}
	return corev1.PullIfNotPresent
}

func containerPorts(s types.ServiceConfig) []corev1.ContainerPort {
	var out []corev1.ContainerPort
	seen := map[string]bool{}
	for _, p := range listenPorts(s) {
		id := fmt.Sprint(p.port, p.protocol)
		if seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, corev1.ContainerPort{ContainerPort: p.port, Protocol: p.protocol})
	}
	return out
}

// resources maps deploy.resources and cpus, mem_limit, mem_reservation.
func (m *mapper) resources(s types.ServiceConfig) corev1.ResourceRequirements {
	var r corev1.ResourceRequirements
	set := func(l *corev1.ResourceList, cpus float32, mem types.UnitBytes) {
		if cpus > 0 {
			if *l == nil {
				*l = corev1.ResourceList{}
			}
			(*l)[corev1.ResourceCPU] = *resource.NewMilliQuantity(int64(cpus*1000+0.5), resource.DecimalSI)
		}
		if mem > 0 {
			if *l == nil {
				*l = corev1.ResourceList{}
			}
			(*l)[corev1.ResourceMemory] = *resource.NewQuantity(int64(mem), resource.BinarySI)
		}
	}
	set(&r.Limits, s.CPUS, s.MemLimit)
	set(&r.Requests, 0, s.MemReservation)
	if s.Deploy != nil {
		if l := s.Deploy.Resources.Limits; l != nil {
			set(&r.Limits, float32(l.NanoCPUs), l.MemoryBytes)
			m.resourceNotes(s.Name, "deploy.resources.limits", l)
		}
		if l := s.Deploy.Resources.Reservations; l != nil {
			set(&r.Requests, float32(l.NanoCPUs), l.MemoryBytes)
			m.resourceNotes(s.Name, "deploy.resources.reservations", l)
		}
	}
	return r
}

func (m *mapper) resourceNotes(service, key string, r *types.Resource) {
	if r.Pids > 0 {
		m.note(service, key+".pids", "not mapped: the kubelet limits PIDs per pod (--pod-max-pids)")
	}
	if len(r.Devices) > 0 || len(r.GenericResources) > 0 {
		m.note(service, key, "devices and generic_resources not mapped: request the device plugin's resource")
	}
}

// security maps user, cap_add/cap_drop, privileged, read_only and
// security_opt no-new-privileges.
func (m *mapper) security(s types.ServiceConfig) *corev1.SecurityContext {
	var sc corev1.SecurityContext
	if s.User != "" {
		m.user(s, &sc)
	}
	for _, c := range s.CapAdd {
		ptrCaps(&sc).Add = append(sc.Capabilities.Add, corev1.Capability(strings.TrimPrefix(strings.ToUpper(c), "CAP_")))
	}
	for _, c := range s.CapDrop {
		ptrCaps(&sc).Drop = append(sc.Capabilities.Drop, corev1.Capability(strings.TrimPrefix(strings.ToUpper(c), "CAP_")))
	}
	if s.Privileged {
		sc.Privileged = ptr.To(true)
	}
	if s.ReadOnly {
		sc.ReadOnlyRootFilesystem = ptr.To(true)
	}
	for _, o := range s.SecurityOpt {
		switch strings.ReplaceAll(o, "=", ":") {
		case "no-new-privileges", "no-new-privileges:true":
			sc.AllowPrivilegeEscalation = ptr.To(false)
		case "seccomp:unconfined":
			sc.SeccompProfile = &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeUnconfined}
		default:
			m.note(s.Name, "security_opt", "%q not mapped: set the pod's securityContext", o)
		}
	}
	if sc == (corev1.SecurityContext{}) {
		return nil
	}
	return &sc
}

func ptrCaps(sc *corev1.SecurityContext) *corev1.Capabilities {
	if sc.Capabilities == nil {
		sc.Capabilities = &corev1.Capabilities{}
	}
	return sc.Capabilities
}

// user maps user: UID[:GID]; names need the image's /etc/passwd, which
// Kubernetes does not read.
func (m *mapper) user(s types.ServiceConfig, sc *corev1.SecurityContext) {
	u, g, hasGroup := strings.Cut(s.User, ":")
	uid, err := strconv.ParseInt(u, 10, 64)
	if err != nil {
		m.note(s.Name, "user", "%q not mapped: Kubernetes takes a numeric UID (runAsUser)", s.User)
		return
	}
	sc.RunAsUser = &uid
	if hasGroup {
		gid, err := strconv.ParseInt(g, 10, 64)
		if err != nil {
			m.note(s.Name, "user", "group %q not mapped: Kubernetes takes a numeric GID (runAsGroup)", g)
			return
		}
		sc.RunAsGroup = &gid
	}
}

// lifecycle maps the first post_start and pre_stop hook.
func (m *mapper) lifecycle(s types.ServiceConfig) *corev1.Lifecycle {
	var l corev1.Lifecycle
	hook := func(key string, hooks []types.ServiceHook) *corev1.LifecycleHandler {
		if len(hooks) == 0 {
			return nil
		}
		if len(hooks) > 1 {
			m.note(s.Name, key, "only the first hook mapped: Kubernetes runs one per container")
		}
		h := hooks[0]
		if h.User != "" || h.Privileged || h.WorkingDir != "" || len(h.Environment) > 0 {
			m.note(s.Name, key, "user, privileged, working_dir and environment not mapped: the hook runs as the container does")
		}
		return &corev1.LifecycleHandler{Exec: &corev1.ExecAction{Command: h.Command}}
	}
	l.PostStart = hook("post_start", s.PostStart)
	l.PreStop = hook("pre_stop", s.PreStop)
	if l.PostStart == nil && l.PreStop == nil {
		return nil
	}
	return &l
}

// roundUpSeconds is d in whole seconds, at least 1.
func roundUpSeconds(d types.Duration) int32 {
	s := (time.Duration(d) + time.Second - 1) / time.Second
	return int32(max(s, 1))
}
