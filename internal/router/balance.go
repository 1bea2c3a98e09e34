package router

import (
	"errors"
	"net"
	"net/http"
)

// Several running containers of a service (replicas, scale) share its
// names: requests go round-robin, and one that cannot even connect to a
// replica (stopped meanwhile, or not listening yet) goes to the next,
// since nothing of it was sent. A replica that answers, even with an
// error, answers.

// Rotate is backends starting at the n-th (mod len), each once.
func Rotate(backends []string, n uint64) []string {
	if len(backends) < 2 {
		return backends
	}
	i := int(n % uint64(len(backends)))
	out := make([]string, 0, len(backends))
	return append(append(out, backends[i:]...), backends[:i]...)
}

// failover tries a request on the next backend when it could not connect
// to one; only a request with no body, which it can send again as it was.
type failover struct{ base http.RoundTripper }

func (f failover) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := f.base.RoundTrip(req)
	bs, _ := req.Context().Value(targetKey{}).([]string)
	for i := 1; err != nil && i < len(bs) && dialFailed(err) && (req.Body == nil || req.Body == http.NoBody); i++ {
		again := req.Clone(req.Context())
		again.URL.Host = bs[i]
		resp, err = f.base.RoundTrip(again)
	}
	return resp, err
}

// dialFailed: the connection was never made (refused, no such host).
func dialFailed(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}
