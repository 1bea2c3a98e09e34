package convert

import (
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"
)

// CADir is where a container finds the router's CA: the host directory of
// CAOffer mounted read-only, holding CAFile and, when one could be made,
// BundleFile.
const (
	CADir      = "/etc/ssl/devstack"
	CAFile     = CADir + "/ca.pem"
	BundleFile = CADir + "/bundle.pem"
)

// CAOffer is the router's CA offered to a project's containers (up with
// the router on): the host directory holding ca.pem (the certificate only,
// never the key) and, when Bundle, bundle.pem: the host's system roots
// followed by the CA. Wants reads a service's opt-out (x-devstack: {ca:
// false}: presets.CAOf, passed in to keep convert free of the catalogue);
// nil offers it to every service.
type CAOffer struct {
	Dir    string
	Bundle bool
	Wants  func(types.Extensions) (bool, error)
}

// CAEnv are the variables a container gets, each only when the service
// does not set it itself. NODE_EXTRA_CA_CERTS adds to Node's roots; the
// others replace the roots of what reads them (OpenSSL's default file:
// Python's ssl, Ruby, PHP, curl, Go; Python requests instead of certifi),
// so they point at the bundle, which keeps the public roots, and are left
// out when there is no bundle. DEVSTACK_CA_CERT names the CA alone, for an
// entrypoint that adds it to the image's own store.
func CAEnv(o CAOffer) map[string]string {
	env := map[string]string{"DEVSTACK_CA_CERT": CAFile, "NODE_EXTRA_CA_CERTS": CAFile}
	if o.Bundle {
		env["SSL_CERT_FILE"] = BundleFile
		env["REQUESTS_CA_BUNDLE"] = BundleFile
	}
	return env
}

// OfferCA gives every service of p that does not opt out (x-devstack:
// {ca: false}) the CA: o.Dir mounted read-only at CADir and CAEnv's
// variables, the compose file's environment winning. A service that mounts
// something at CADir itself keeps it and gets nothing. Being in the
// service's model, the offer is in its config hash: containers made
// without it are recreated with it, and the other way round. Applying it
// twice changes nothing. Pure.
func OfferCA(p *types.Project, o CAOffer) error {
	if p == nil || o.Dir == "" {
		return nil
	}
	for name, s := range p.Services {
		on := true
		if o.Wants != nil {
			var err error
			if on, err = o.Wants(s.Extensions); err != nil {
				return fmt.Errorf("service %s: %w", name, err)
			}
		}
		if !on || mountsAt(s, CADir) {
			continue
		}
		s.Volumes = append(append([]types.ServiceVolumeConfig(nil), s.Volumes...), types.ServiceVolumeConfig{
			Type: types.VolumeTypeBind, Source: o.Dir, Target: CADir, ReadOnly: true,
		})
		env := types.MappingWithEquals{}
		for k, v := range s.Environment {
			env[k] = v
		}
		for k, v := range CAEnv(o) {
			if _, set := env[k]; !set {
				env[k] = &v
			}
		}
		s.Environment = env
		p.Services[name] = s
	}
	return nil
}

func mountsAt(s types.ServiceConfig, target string) bool {
	for _, v := range s.Volumes {
		if v.Target == target {
			return true
		}
	}
	return false
}
