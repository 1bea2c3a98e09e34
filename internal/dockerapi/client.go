package dockerapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/docker/docker/client"
)

// Connect opens a client to the engine of the docker context named by flag
// (or, when empty, the one the docker CLI would use), negotiates the API
// version down to what the engine speaks, and checks that it answers.
func Connect(ctx context.Context, flag string) (*client.Client, Endpoint, error) {
	ep, err := ResolveEndpoint(flag)
	if err != nil {
		return nil, ep, err
	}
	c, err := client.NewClientWithOpts(ep.opts...)
	if err != nil {
		return nil, ep, fmt.Errorf("%w at %s: %v", ErrDaemonUnreachable, ep, err)
	}
	ping, err := c.Ping(ctx)
	if err != nil {
		_ = c.Close()
		if strings.HasPrefix(ep.Host, "ssh://") {
			return nil, ep, fmt.Errorf("%w at %s: ssh failed: %s\n%s", ErrDaemonUnreachable, ep, sshReason(err), sshHint(ep.Host))
		}
		return nil, ep, fmt.Errorf("%w at %s: %v\n%s", ErrDaemonUnreachable, ep, err, unreachableHint(ep, err))
	}
	c.NegotiateAPIVersionPing(ping) // one round trip for both the check and the negotiation
	return c, ep, nil
}

// unreachableHint says what to do about an engine that did not answer.
func unreachableHint(ep Endpoint, err error) string {
	var unknownCA x509.UnknownAuthorityError
	var verify *tls.CertificateVerificationError
	if errors.As(err, &unknownCA) || errors.As(err, &verify) || strings.Contains(err.Error(), "x509: ") {
		where := "the ca.pem in DOCKER_CERT_PATH"
		if ep.Context != DefaultContext {
			where = fmt.Sprintf("the TLS material of docker context %q (docker context inspect %s)", ep.Context, ep.Context)
		}
		return "The engine's TLS certificate is not trusted: check " + where + " against the CA that signed the engine's certificate"
	}
	if ep.Context != DefaultContext {
		return fmt.Sprintf("Start the engine of docker context %q, or choose another one (--context NAME, DOCKER_CONTEXT, docker context use)", ep.Context)
	}
	hint := "Start it (e.g. `sudo systemctl start docker`, or `sudo dockerd &`), point DOCKER_HOST at a running engine, or choose a docker context (--context NAME)"
	if strings.HasPrefix(ep.Host, "tcp://") {
		hint += "; an engine that serves TLS needs DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH"
	}
	return hint
}

// sshReason is what ssh said when docker's connection helper failed (its
// error ends in "stderr=..."), on one line, else the whole error.
func sshReason(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, "stderr="); i >= 0 {
		if reason := strings.TrimSpace(msg[i+len("stderr="):]); reason != "" {
			return strings.Join(strings.Fields(reason), " ") // one line
		}
	}
	return msg
}

// sshHint says how to check an ssh:// endpoint by hand.
func sshHint(host string) string {
	cmd := "ssh"
	if u, err := url.Parse(host); err == nil {
		if u.Port() != "" {
			cmd += " -p " + u.Port()
		}
		if u.User != nil {
			cmd += " " + u.User.Username() + "@" + u.Hostname()
		} else {
			cmd += " " + u.Hostname()
		}
	}
	return "Check that `" + cmd + " docker system dial-stdio` works from this shell (keys, ~/.ssh/config, known_hosts) and that docker 18.09 or later is on the remote host's PATH"
}
