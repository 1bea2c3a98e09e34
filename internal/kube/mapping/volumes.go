package mapping

import (
	"fmt"
	"path"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	units "github.com/docker/go-units"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/devstack/devstack/internal/kube/wire"
)

var pvcType = metav1.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"}

// podVolumes collects a pod's volumes and its container's mounts.
type podVolumes struct {
	vols   []corev1.Volume
	mounts []corev1.VolumeMount
	names  map[string]bool
}

func (pv *podVolumes) add(v corev1.Volume, mount corev1.VolumeMount) {
	if !pv.names[v.Name] {
		pv.names[v.Name] = true
		pv.vols = append(pv.vols, v)
	}
	mount.Name = v.Name
	pv.mounts = append(pv.mounts, mount)
}

// volumes maps volumes, tmpfs, shm_size, configs and secrets.
func (m *mapper) volumes(s types.ServiceConfig) ([]corev1.Volume, []corev1.VolumeMount) {
	pv := &podVolumes{names: map[string]bool{}}
	for i, v := range s.Volumes {
		switch v.Type {
		case types.VolumeTypeVolume:
			m.namedVolume(s, v, pv)
		case types.VolumeTypeBind:
			m.bindMount(s, v, pv)
		case types.VolumeTypeTmpfs:
			var size types.UnitBytes
			if v.Tmpfs != nil {
				size = v.Tmpfs.Size
			}
			pv.add(memoryVolume(fmt.Sprintf("tmpfs-%d", i), size), corev1.VolumeMount{MountPath: v.Target})
		default:
			m.note(s.Name, "volumes", "%s mount of %s not mapped", v.Type, v.Target)
		}
	}
	for i, t := range s.Tmpfs {
		target, opts, _ := strings.Cut(t, ":")
		pv.add(memoryVolume(fmt.Sprintf("tmpfs-x%d", i), tmpfsSize(opts)), corev1.VolumeMount{MountPath: target})
	}
	if s.ShmSize > 0 {
		pv.add(memoryVolume("shm", s.ShmSize), corev1.VolumeMount{MountPath: "/dev/shm"})
	}
	m.fileMounts(s, pv)
	return pv.vols, pv.mounts
}

// memoryVolume is an emptyDir in memory, as a tmpfs is.
func memoryVolume(name string, size types.UnitBytes) corev1.Volume {
	ed := &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumMemory}
	if size > 0 {
		ed.SizeLimit = resource.NewQuantity(int64(size), resource.BinarySI)
	}
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{EmptyDir: ed}}
}

// tmpfsSize reads size=N (as docker reads it: 64m is 64 MiB) from a
// tmpfs entry's options.
func tmpfsSize(opts string) types.UnitBytes {
	for _, o := range strings.Split(opts, ",") {
		if v, ok := strings.CutPrefix(o, "size="); ok {
			if b, err := units.RAMInBytes(v); err == nil {
				return types.UnitBytes(b)
			}
		}
	}
	return 0
}

// namedVolume mounts the PersistentVolumeClaim of a named volume (made
// here unless the volume is external), or an emptyDir for an anonymous one.
func (m *mapper) namedVolume(s types.ServiceConfig, v types.ServiceVolumeConfig, pv *podVolumes) {
	mount := corev1.VolumeMount{MountPath: v.Target, ReadOnly: v.ReadOnly}
	if v.Volume != nil && v.Volume.Subpath != "" {
		mount.SubPath = v.Volume.Subpath
	}
	if v.Source == "" {
		m.note(s.Name, "volumes", "anonymous volume at %s mapped to an emptyDir: it lives as long as the pod", v.Target)
		pv.add(corev1.Volume{Name: "anon-" + dnsName(v.Target), VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}, mount)
		return
	}
	claim := m.claimName(v.Source)
	pv.add(corev1.Volume{Name: "vol-" + dnsName(v.Source), VolumeSource: corev1.VolumeSource{
		PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: claim},
	}}, mount)
}

// claimName is the claim of a named volume: an external volume's own
// name (it must exist), else the volume's key, made here.
func (m *mapper) claimName(key string) string {
	vc := m.p.Volumes[key]
	if bool(vc.External) {
		return dnsName(cmpOr(vc.Name, key))
	}
	name := dnsName(key)
	size := resource.MustParse("1Gi")
	if q, err := resource.ParseQuantity(m.o.VolumeSize); err == nil && m.o.VolumeSize != "" {
		size = q
	}
	pvc := &corev1.PersistentVolumeClaim{TypeMeta: pvcType, ObjectMeta: m.meta(name, m.projectLabels()),
		Spec: corev1.PersistentVolumeClaimSpec{
			AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: size}},
		}}
	if m.o.StorageClass != "" {
		pvc.Spec.StorageClassName = &m.o.StorageClass
	}
	m.addShared(pvc)
	return name
}

// mountsNamedVolume says s mounts a named volume's claim.
func (m *mapper) mountsNamedVolume(s types.ServiceConfig) bool {
	for _, v := range s.Volumes {
		if v.Type == types.VolumeTypeVolume && v.Source != "" {
			return true
		}
	}
	return false
}

// bindMount maps a bind mount of a small file of the project to a
// ConfigMap; any other host path is refused, said once.
func (m *mapper) bindMount(s types.ServiceConfig, v types.ServiceVolumeConfig, pv *podVolumes) {
	key := wire.FileKey("bind", v.Source)
	data, ok := m.in.Files[key]
	if !ok {
		why := m.in.Unread[key]
		if why == "" {
			why = "not a file of the project"
		}
		m.note(s.Name, "volumes", "bind mount of host path %s refused (%s): a pod cannot see the host's files; use a named volume or a config", v.Source, why)
		return
	}
	base := path.Base(v.Source)
	name := contentName(m.names[s.Name]+"-"+base, map[string][]byte{base: data})
	m.addShared(m.configMap(name, m.serviceLabels(s.Name), map[string][]byte{fileKey(base): data}))
	if !v.ReadOnly {
		m.note(s.Name, "volumes", "bind mount of %s mapped to ConfigMap %s: read-only, and a change on the host needs a new deploy", v.Source, name)
	}
	pv.add(configMapVolume(name, name, fileKey(base), nil),
		corev1.VolumeMount{MountPath: v.Target, SubPath: fileKey(base), ReadOnly: true})
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
