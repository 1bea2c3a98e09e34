package convert

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// applyProcess sets the keys about the container's process and isolation:
// logging, namespaces (ipc and pid are in applyWiring), runtime, cgroups, stop signal and grace period,
// init, annotations, as docker compose sets them. Pure.
func applyProcess(s types.ServiceConfig, apiVersion string, cfg *container.Config, host *container.HostConfig) {
	cfg.Domainname = s.DomainName
	cfg.StopSignal = s.StopSignal
	cfg.NetworkDisabled = s.NetworkMode == "disabled"
	if s.StopGracePeriod != nil {
		secs := int(time.Duration(*s.StopGracePeriod).Seconds())
		cfg.StopTimeout = &secs
	}
	host.LogConfig = convertLogging(s)
	host.Init = s.Init
	host.UTSMode = container.UTSMode(s.Uts)
	host.UsernsMode = container.UsernsMode(s.UserNSMode)
	host.CgroupnsMode = container.CgroupnsMode(s.Cgroup)
	host.Isolation = container.Isolation(s.Isolation)
	host.Runtime = s.Runtime
	host.StorageOpt = s.StorageOpt
	host.GroupAdd = s.GroupAdd
	host.OomScoreAdj = int(s.OomScoreAdj)
	host.VolumeDriver = s.VolumeDriver
	if apiAtLeast(apiVersion, apiAnnotations) {
		host.Annotations = s.Annotations
	}
}

func convertLogging(s types.ServiceConfig) container.LogConfig {
	if s.Logging == nil {
		return container.LogConfig{}
	}
	return container.LogConfig{Type: s.Logging.Driver, Config: s.Logging.Options}
}

// convertRestart maps restart:, which deploy.restart_policy overrides, as
// docker compose does (none→no, any→always; neither set: the engine's default).
func convertRestart(s types.ServiceConfig) container.RestartPolicy {
	var rp container.RestartPolicy
	if s.Restart != "" {
		name, count, _ := strings.Cut(s.Restart, ":")
		rp = container.RestartPolicy{Name: restartMode(name)}
		if n, err := strconv.Atoi(count); err == nil {
			rp.MaximumRetryCount = n
		}
	}
	if s.Deploy != nil && s.Deploy.RestartPolicy != nil {
		pol := s.Deploy.RestartPolicy
		rp = container.RestartPolicy{Name: restartMode(pol.Condition)}
		if pol.MaxAttempts != nil {
			rp.MaximumRetryCount = int(*pol.MaxAttempts)
		}
	}
	return rp
}

func restartMode(condition string) container.RestartPolicyMode {
	switch condition {
	case "none", "no":
		return container.RestartPolicyDisabled
	case "any", "always":
		return container.RestartPolicyAlways
	}
	return container.RestartPolicyMode(condition)
}

// convertPlatform parses platform: os[/arch[/variant]], or
// DOCKER_DEFAULT_PLATFORM from the project's environment when unset, as
// docker compose does.
func convertPlatform(p *types.Project, s types.ServiceConfig) (*ocispec.Platform, error) {
	v := s.Platform
	if v == "" {
		v = p.Environment["DOCKER_DEFAULT_PLATFORM"]
	}
	if v == "" {
		return nil, nil
	}
	parts := strings.Split(strings.ToLower(v), "/")
	if len(parts) > 3 || parts[0] == "" || (len(parts) > 1 && parts[1] == "") {
		return nil, fmt.Errorf("%w: service %s: platform %q: want os[/arch[/variant]], e.g. linux/amd64", ErrInvalidConfig, s.Name, v)
	}
	pl := &ocispec.Platform{OS: parts[0]}
	if len(parts) > 1 {
		pl.Architecture = normalizeArch(parts[1])
	}
	if len(parts) > 2 {
		pl.Variant = parts[2]
	}
	return pl, nil
}

// normalizeArch spells common architecture aliases the OCI way.
func normalizeArch(a string) string {
	switch a {
	case "x86_64", "x86-64":
		return "amd64"
	case "aarch64":
		return "arm64"
	case "i386", "i686":
		return "386"
	}
	return a
}

// AttachedServices are the services whose logs an attached `up` streams:
// all but those with attach: false, as docker compose does. Sorted. Pure.
func AttachedServices(p *types.Project) []string {
	var out []string
	for _, name := range p.ServiceNames() {
		if a := p.Services[name].Attach; a == nil || *a {
			out = append(out, name)
		}
	}
	return out
}

// convertSecurityOpt passes security_opt through as docker compose does,
// except that seccomp:FILE (or seccomp=FILE) is sent as the file's JSON,
// compacted, and systempaths=unconfined empties the masked and read-only
// paths. FILE is relative to the project directory, read by readFile.
func convertSecurityOpt(p *types.Project, s types.ServiceConfig, host *container.HostConfig, readFile func(string) ([]byte, error)) error {
	var out []string
	for _, opt := range s.SecurityOpt {
		if opt == "systempaths=unconfined" {
			host.MaskedPaths, host.ReadonlyPaths = []string{}, []string{}
			continue
		}
		key, value, ok := strings.Cut(opt, "=")
		if !ok && key != "no-new-privileges" {
			if key, value, ok = strings.Cut(opt, ":"); !ok {
				return fmt.Errorf("%w: service %s: security_opt %q: want KEY=VALUE or KEY:VALUE", ErrInvalidConfig, s.Name, opt)
			}
		}
		if key != "seccomp" || value == "unconfined" || value == "builtin" {
			out = append(out, opt)
			continue
		}
		if readFile == nil {
			return fmt.Errorf("%w: service %s: security_opt %q: no host file reader to read the seccomp profile", ErrInvalidConfig, s.Name, opt)
		}
		b, err := readFile(p.RelativePath(value))
		if err != nil {
			return fmt.Errorf("%w: service %s: security_opt %q: %v", ErrInvalidConfig, s.Name, opt, err)
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, b); err != nil {
			return fmt.Errorf("%w: service %s: security_opt %q: seccomp profile is not JSON: %v", ErrInvalidConfig, s.Name, opt, err)
		}
		out = append(out, "seccomp="+buf.String())
	}
	host.SecurityOpt = out
	return nil
}
