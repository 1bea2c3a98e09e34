package engine

import "testing"

func TestContextName(t *testing.T) {
	for _, tc := range []struct {
		name, flag, host, envCtx, current, want string
	}{
		{name: "nothing", want: "default"},
		{name: "current", current: "remote", want: "remote"},
		{name: "DOCKER_CONTEXT over current", envCtx: "b", current: "a", want: "b"},
		{name: "DOCKER_HOST over DOCKER_CONTEXT", host: "tcp://x:2375", envCtx: "b", current: "a", want: "default"},
		{name: "flag over all", flag: "f", host: "tcp://x:2375", envCtx: "b", current: "a", want: "f"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"DOCKER_HOST": tc.host, "DOCKER_CONTEXT": tc.envCtx}
			got := ContextName(tc.flag, func(k string) string { return env[k] }, tc.current)
			if got != tc.want {
				t.Errorf("ContextName = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestTLSFilesPresent(t *testing.T) {
	if err := tlsFilesPresent(t.TempDir()); err == nil || err.Error() != "missing ca.pem, cert.pem, key.pem" {
		t.Errorf("empty dir: %v", err)
	}
}
