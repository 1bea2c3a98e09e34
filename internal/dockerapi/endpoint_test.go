package dockerapi

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"testing"
)

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

func TestSSHFailure(t *testing.T) {
	err := errors.New(`error during connect: Head "http://docker.example.com/_ping": command [ssh -l root -p 2222 -o ConnectTimeout=30 -T -- 127.0.0.1 docker system dial-stdio] has exited with exit status 255, make sure the URL is valid, and Docker 18.09 or later is installed on the remote host: stderr=ssh: connect to host 127.0.0.1 port 2222: Connection refused
`)
	if got := sshReason(err); got != "ssh: connect to host 127.0.0.1 port 2222: Connection refused" {
		t.Errorf("sshReason = %q", got)
	}
	twoLines := errors.New("command [...] has exited with exit status 255: stderr=No ED25519 host key is known for [127.0.0.1]:2222.\nHost key verification failed.\n")
	if got := sshReason(twoLines); got != "No ED25519 host key is known for [127.0.0.1]:2222. Host key verification failed." {
		t.Errorf("sshReason of two lines = %q", got)
	}
	if got := sshReason(errors.New("context deadline exceeded")); got != "context deadline exceeded" {
		t.Errorf("sshReason without stderr = %q", got)
	}
	for host, want := range map[string]string{
		"ssh://root@127.0.0.1:2222": "`ssh -p 2222 root@127.0.0.1 docker system dial-stdio`",
		"ssh://build.example.com":   "`ssh build.example.com docker system dial-stdio`",
	} {
		if got := sshHint(host); !strings.Contains(got, want) {
			t.Errorf("sshHint(%s) = %q, want it to contain %s", host, got, want)
		}
	}
}

func TestUnreachableHint(t *testing.T) {
	unknownCA := fmt.Errorf("error during connect: %w", &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}})
	refused := errors.New("connection refused")
	for _, c := range []struct {
		ep        Endpoint
		err       error
		want, not string
	}{
		{Endpoint{Context: "default", Host: "tcp://h:2376"}, unknownCA, "check the ca.pem in DOCKER_CERT_PATH", "systemctl"},
		{Endpoint{Context: "prod", Host: "tcp://h:2376"}, unknownCA, `TLS material of docker context "prod"`, "systemctl"},
		{Endpoint{Context: "prod", Host: "tcp://h:2376"}, refused, `Start the engine of docker context "prod"`, "TLS"},
		{Endpoint{Context: "default", Host: "tcp://h:2375"}, refused, "serves TLS needs DOCKER_TLS_VERIFY=1", ""},
		{Endpoint{Context: "default", Host: "unix:///var/run/docker.sock"}, refused, "systemctl", "TLS"},
	} {
		got := unreachableHint(c.ep, c.err)
		if !strings.Contains(got, c.want) || (c.not != "" && strings.Contains(got, c.not)) {
			t.Errorf("%s, %v: %q; want %q, not %q", c.ep, c.err, got, c.want, c.not)
		}
	}
}
