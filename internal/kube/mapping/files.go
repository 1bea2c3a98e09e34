package mapping

import (
	"path"
	"regexp"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/devstack/devstack/internal/kube/wire"
)

var (
	configMapType = metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"}
	secretType    = metav1.TypeMeta{APIVersion: "v1", Kind: "Secret"}
	notKeyChars   = regexp.MustCompile(`[^-._a-zA-Z0-9]+`)
)

// fileKey makes a file name a ConfigMap or Secret key.
func fileKey(name string) string {
	if k := notKeyChars.ReplaceAllString(name, "_"); k != "" && k != "." && k != ".." {
		return k
	}
	return "file"
}

func (m *mapper) configMap(name string, labels map[string]string, data map[string][]byte) *corev1.ConfigMap {
	return &corev1.ConfigMap{TypeMeta: configMapType, ObjectMeta: m.meta(name, labels), BinaryData: data, Immutable: ptr.To(true)}
}

func (m *mapper) secretObject(name string, labels map[string]string, data map[string][]byte) *corev1.Secret {
	return &corev1.Secret{TypeMeta: secretType, ObjectMeta: m.meta(name, labels), Data: data,
		Type: corev1.SecretTypeOpaque, Immutable: ptr.To(true)}
}

func configMapVolume(vol, cm, key string, mode *int32) corev1.Volume {
	return corev1.Volume{Name: vol, VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
		LocalObjectReference: corev1.LocalObjectReference{Name: cm},
		Items:                []corev1.KeyToPath{{Key: key, Path: key, Mode: mode}},
	}}}
}

func secretVolume(vol, secret, key string, mode *int32) corev1.Volume {
	return corev1.Volume{Name: vol, VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{
		SecretName: secret,
		Items:      []corev1.KeyToPath{{Key: key, Path: key, Mode: mode}},
	}}}
}

// fileMounts mounts the service's configs (at /NAME unless a target is
// given) and secrets (at /run/secrets/NAME), each from a ConfigMap or
// Secret named by its content.
func (m *mapper) fileMounts(s types.ServiceConfig, pv *podVolumes) {
	for _, c := range s.Configs {
		obj, ok := m.fileObject(s.Name, "config", c.Source, types.FileObjectConfig(m.p.Configs[c.Source]))
		if !ok {
			continue
		}
		target := cmpOr(c.Target, "/"+c.Source)
		m.fileNotes(s.Name, "configs", c.UID, c.GID)
		pv.add(configMapVolume(obj, obj, fileKey(c.Source), fileMode(c.Mode)),
			corev1.VolumeMount{MountPath: target, SubPath: fileKey(c.Source), ReadOnly: true})
	}
	for _, c := range s.Secrets {
		obj, ok := m.fileObject(s.Name, "secret", c.Source, types.FileObjectConfig(m.p.Secrets[c.Source]))
		if !ok {
			continue
		}
		target := c.Target
		if target == "" {
			target = "/run/secrets/" + c.Source
		} else if !path.IsAbs(target) {
			target = "/run/secrets/" + target
		}
		m.fileNotes(s.Name, "secrets", c.UID, c.GID)
		pv.add(secretVolume(obj, obj, fileKey(c.Source), fileMode(c.Mode)),
			corev1.VolumeMount{MountPath: target, SubPath: fileKey(c.Source), ReadOnly: true})
	}
}

// fileObject makes the ConfigMap or Secret of a top-level config or
// secret and returns its name; an external one must exist by its name.
func (m *mapper) fileObject(service, kind, key string, f types.FileObjectConfig) (string, bool) {
	if bool(f.External) {
		return dnsName(cmpOr(f.Name, key)), true
	}
	data, ok := m.in.Files[wire.FileKey(kind, key)]
	if !ok {
		why := cmpOr(m.in.Unread[wire.FileKey(kind, key)], "no content")
		m.note(service, kind+"s", "%s %s not mapped: %s", kind, key, why)
		return "", false
	}
	content := map[string][]byte{fileKey(key): data}
	name := contentName(key, content)
	if kind == "secret" {
		m.addShared(m.secretObject(name, m.projectLabels(), content))
	} else {
		m.addShared(m.configMap(name, m.projectLabels(), content))
	}
	return name, true
}

func (m *mapper) fileNotes(service, key, uid, gid string) {
	if uid != "" || gid != "" {
		m.note(service, key, "uid and gid not mapped: the file belongs to root, or to the pod's fsGroup")
	}
}

func fileMode(mode *types.FileMode) *int32 {
	if mode == nil {
		return nil
	}
	return ptr.To(int32(*mode))
}
