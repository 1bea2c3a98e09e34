package dockerapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/docker/docker/client"
)

// Identity is what an engine says about itself when pinged: its product
// and version from the Server header ("Docker/20.10.24 (linux)",
// "Libpod/4.3.1 (linux)"), its OS and API version, and the version the
// client negotiated.
type Identity struct {
	Product       string // "Docker", "Podman"; empty when the engine sent no Server header
	Version       string
	OS            string
	APIVersion    string
	ClientVersion string
}

// ParseServerHeader splits an engine's Server header into product, version
// and OS. Podman's compat API answers as "Libpod". Pure.
func ParseServerHeader(h string) (product, version, os string) {
	name, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
	product, version, ok := strings.Cut(name, "/")
	if !ok || product == "" || version == "" {
		return "", "", ""
	}
	if strings.EqualFold(product, "libpod") {
		product = "Podman"
	}
	return product, version, strings.Trim(rest, "()")
}

// Identify pings the engine once and reports what it is. That one round
// trip is what `devstack version` costs: the engine's /version endpoint
// asks containerd and runs runc and docker-init to fill in its components,
// several milliseconds more, so it is asked only when the engine sent no
// Server header (a proxy that drops it).
func Identify(ctx context.Context, flag string) (Identity, Endpoint, error) {
	ep, err := ResolveEndpoint(flag)
	if err != nil {
		return Identity{}, ep, err
	}
	rec := &serverRecorder{}
	// This client makes plain requests only; hijacked connections (attach,
	// exec, BuildKit) need the client's own transport, so Connect does not
	// wrap it.
	c, err := client.NewClientWithOpts(append(ep.opts, rec.option)...)
	if err != nil {
		return Identity{}, ep, fmt.Errorf("%w at %s: %v", ErrDaemonUnreachable, ep, err)
	}
	defer c.Close()
	ping, err := c.Ping(ctx)
	if err != nil {
		return Identity{}, ep, fmt.Errorf("%w at %s: %v\n%s", ErrDaemonUnreachable, ep, err, unreachableHint(ep, err))
	}
	c.NegotiateAPIVersionPing(ping)
	id := Identity{APIVersion: ping.APIVersion, OS: ping.OSType, ClientVersion: c.ClientVersion()}
	id.Product, id.Version, _ = ParseServerHeader(rec.get())
	if id.Product == "" {
		v, err := c.ServerVersion(ctx)
		if err != nil {
			return id, ep, err
		}
		id.Product, id.Version, id.APIVersion, id.OS = EngineName(v), v.Version, v.APIVersion, v.Os
	}
	return id, ep, nil
}

// serverRecorder keeps the Server header of the engine's last answer.
type serverRecorder struct {
	base  http.RoundTripper
	mu    sync.Mutex
	value string
}

func (r *serverRecorder) option(c *client.Client) error {
	hc := c.HTTPClient()
	r.base = hc.Transport
	if r.base == nil {
		r.base = http.DefaultTransport
	}
	// The client speaks https when its transport has a TLS config; it
	// cannot see that through the recorder, so say it.
	if t, ok := r.base.(*http.Transport); ok && t.TLSClientConfig != nil {
		if err := client.WithScheme("https")(c); err != nil {
			return err
		}
	}
	hc.Transport = r
	return client.WithHTTPClient(hc)(c)
}

func (r *serverRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	if err == nil {
		r.mu.Lock()
		r.value = resp.Header.Get("Server")
		r.mu.Unlock()
	}
	return resp, err
}

func (r *serverRecorder) get() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.value
}
