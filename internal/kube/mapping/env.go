package mapping

import (
	"regexp"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
)

// secretLooking matches the names of variables whose values look secret.
var secretLooking = regexp.MustCompile(`(?i)(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|_PASS$|_PWD$|^PASS$|^PWD_|AUTH)`)

// env maps environment (env_file included by the loader): values of
// variables whose names look secret go to a Secret SERVICE-env-HASH,
// said once; the rest are plain. A variable without a value is left out,
// as compose leaves it unset.
func (m *mapper) env(s types.ServiceConfig) ([]corev1.EnvVar, error) {
	var out []corev1.EnvVar
	secret := map[string][]byte{}
	var unset []string
	for _, k := range sortedKeys(s.Environment) {
		v := s.Environment[k]
		switch {
		case v == nil:
			unset = append(unset, k)
		case secretLooking.MatchString(k):
			secret[k] = []byte(*v)
		default:
			out = append(out, corev1.EnvVar{Name: k, Value: *v})
		}
	}
	if len(unset) > 0 {
		m.note(s.Name, "environment", "%s: no value (not set where devstack ran), left out", strings.Join(unset, ", "))
	}
	if len(secret) == 0 {
		return out, nil
	}
	name := contentName(m.names[s.Name]+"-env", secret)
	m.addShared(m.secretObject(name, m.serviceLabels(s.Name), secret))
	var keys []string
	for _, k := range sortedKeys(secret) {
		keys = append(keys, k)
		out = append(out, corev1.EnvVar{Name: k, ValueFrom: &corev1.EnvVarSource{
			SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: name}, Key: k},
		}})
	}
	verb := "looks secret: its value is"
	if len(keys) > 1 {
		verb = "look secret: their values are"
	}
	m.note(s.Name, "environment", "%s %s in Secret %s", strings.Join(keys, ", "), verb, name)
	return out, nil
}
