package convert

import (
	"fmt"
	"sort"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/blkiodev"
	"github.com/docker/docker/api/types/container"
)

// convertResources maps the service's resource keys onto the engine's
// Resources as docker compose does: the top-level keys first, then
// deploy.resources.limits and reservations override them; devices and
// gpus become device mappings and requests. Pure.
func convertResources(s types.ServiceConfig) container.Resources {
	r := container.Resources{
		CgroupParent:       s.CgroupParent,
		Memory:             int64(s.MemLimit),
		MemorySwap:         int64(s.MemSwapLimit),
		MemoryReservation:  int64(s.MemReservation),
		OomKillDisable:     &s.OomKillDisable,
		CPUCount:           s.CPUCount,
		CPUPeriod:          s.CPUPeriod,
		CPUQuota:           s.CPUQuota,
		CPURealtimePeriod:  s.CPURTPeriod,
		CPURealtimeRuntime: s.CPURTRuntime,
		CPUShares:          s.CPUShares,
		NanoCPUs:           int64(s.CPUS * 1e9),
		CPUPercent:         int64(s.CPUPercent * 100),
		CpusetCpus:         s.CPUSet,
		DeviceCgroupRules:  s.DeviceCgroupRules,
		Ulimits:            convertUlimits(s.Ulimits),
	}
	if s.MemSwappiness != 0 {
		v := int64(s.MemSwappiness)
		r.MemorySwappiness = &v
	}
	if s.PidsLimit != 0 {
		v := s.PidsLimit
		r.PidsLimit = &v
	}
	convertBlkio(s.BlkioConfig, &r)
	if s.Deploy != nil {
		if l := s.Deploy.Resources.Limits; l != nil {
			if l.MemoryBytes != 0 {
				r.Memory = int64(l.MemoryBytes)
			}
			if l.NanoCPUs != 0 {
				r.NanoCPUs = int64(l.NanoCPUs * 1e9)
			}
			if l.Pids > 0 {
				v := l.Pids
				r.PidsLimit = &v
			}
		}
		if res := s.Deploy.Resources.Reservations; res != nil {
			// CPU reservations are a swarm notion; the engine has memory and devices.
			if res.MemoryBytes != 0 {
				r.MemoryReservation = int64(res.MemoryBytes)
			}
			for _, d := range res.Devices {
				r.DeviceRequests = append(r.DeviceRequests, container.DeviceRequest{
					Driver: d.Driver, Count: int(d.Count), DeviceIDs: d.IDs,
					Capabilities: [][]string{d.Capabilities}, Options: d.Options,
				})
			}
		}
	}
	convertDevices(s, &r)
	return r
}

// convertDevices maps devices (a CDI name, source equal to target, goes
// into one "cdi" device request) and gpus (each a request with the "gpu"
// capability added).
func convertDevices(s types.ServiceConfig, r *container.Resources) {
	var cdi []string
	for _, d := range s.Devices {
		if d.Source == d.Target && isCDIName(d.Source) {
			cdi = append(cdi, d.Source)
			continue
		}
		r.Devices = append(r.Devices, container.DeviceMapping{PathOnHost: d.Source, PathInContainer: d.Target, CgroupPermissions: d.Permissions})
	}
	if len(cdi) > 0 {
		r.DeviceRequests = append(r.DeviceRequests, container.DeviceRequest{Driver: "cdi", DeviceIDs: cdi})
	}
	for _, g := range s.Gpus {
		caps := append(append([]string{}, g.Capabilities...), "gpu")
		r.DeviceRequests = append(r.DeviceRequests, container.DeviceRequest{
			Driver: g.Driver, Count: int(g.Count), DeviceIDs: g.IDs,
			Capabilities: [][]string{caps}, Options: g.Options,
		})
	}
}

// isCDIName reports whether a device is named the CDI way,
// vendor.com/class=name, rather than by a path.
func isCDIName(name string) bool {
	if name == "" || name[0] == '/' {
		return false
	}
	slash, eq := -1, -1
	for i, c := range name {
		switch {
		case c == '/' && slash < 0:
			slash = i
		case c == '=' && slash >= 0 && eq < 0:
			eq = i
		}
	}
	return slash > 0 && eq > slash+1 && eq < len(name)-1
}

// convertUlimits sorts by name so the same file gives the same config.
func convertUlimits(m map[string]*types.UlimitsConfig) []*container.Ulimit {
	var out []*container.Ulimit
	for _, name := range sortedNames(m) {
		u := m[name]
		soft, hard := u.Single, u.Single
		if u.Soft != 0 {
			soft = u.Soft
		}
		if u.Hard != 0 {
			hard = u.Hard
		}
		out = append(out, &container.Ulimit{Name: name, Soft: int64(soft), Hard: int64(hard)})
	}
	return out
}

func convertBlkio(b *types.BlkioConfig, r *container.Resources) {
	if b == nil {
		return
	}
	r.BlkioWeight = b.Weight
	for _, w := range b.WeightDevice {
		r.BlkioWeightDevice = append(r.BlkioWeightDevice, &blkiodev.WeightDevice{Path: w.Path, Weight: w.Weight})
	}
	throttle := func(list []types.ThrottleDevice) []*blkiodev.ThrottleDevice {
		var out []*blkiodev.ThrottleDevice
		for _, t := range list {
			out = append(out, &blkiodev.ThrottleDevice{Path: t.Path, Rate: uint64(t.Rate)})
		}
		return out
	}
	r.BlkioDeviceReadBps = throttle(b.DeviceReadBps)
	r.BlkioDeviceReadIOps = throttle(b.DeviceReadIOps)
	r.BlkioDeviceWriteBps = throttle(b.DeviceWriteBps)
	r.BlkioDeviceWriteIOps = throttle(b.DeviceWriteIOps)
}

// checkResources refuses, before anything is created, the resource values
// the engine would refuse at create time, naming the service and the key.
// compose-go already refuses malformed and negative byte sizes at load.
func checkResources(s types.ServiceConfig, r container.Resources) error {
	bad := func(key, format string, args ...any) error {
		return fmt.Errorf("%w: service %s: %s: %s", ErrInvalidConfig, s.Name, key, fmt.Sprintf(format, args...))
	}
	memKey := "mem_limit"
	if s.Deploy != nil && s.Deploy.Resources.Limits != nil && s.Deploy.Resources.Limits.MemoryBytes != 0 {
		memKey = "deploy.resources.limits.memory"
	}
	switch {
	case s.CPUS < 0:
		return bad("cpus", "%g is negative", s.CPUS)
	case s.Deploy != nil && s.Deploy.Resources.Limits != nil && s.Deploy.Resources.Limits.NanoCPUs < 0:
		return bad("deploy.resources.limits.cpus", "%g is negative", float32(s.Deploy.Resources.Limits.NanoCPUs))
	case s.CPUPercent < 0 || s.CPUPercent > 100:
		return bad("cpu_percent", "%g is outside 0-100", s.CPUPercent)
	case s.CPUShares < 0, s.CPUPeriod < 0, s.CPUQuota < 0 && s.CPUQuota != -1, s.CPUCount < 0:
		return bad("cpu_shares/cpu_period/cpu_quota/cpu_count", "negative value")
	case r.Memory < 0:
		return bad(memKey, "%d is negative", r.Memory)
	case r.MemoryReservation < 0:
		return bad("mem_reservation", "%d is negative", r.MemoryReservation)
	case r.MemorySwap < -1:
		return bad("memswap_limit", "%d is negative (-1 means unlimited swap)", r.MemorySwap)
	case r.Memory > 0 && r.Memory < 6*1024*1024:
		return bad(memKey, "%d bytes is below the engine's minimum of 6MB", r.Memory)
	case r.Memory > 0 && r.MemoryReservation > r.Memory:
		return bad("mem_reservation", "%d bytes is above the memory limit (%d)", r.MemoryReservation, r.Memory)
	case r.MemorySwap > 0 && r.Memory == 0:
		return bad("memswap_limit", "needs a memory limit (mem_limit) too")
	case r.MemorySwap > 0 && r.MemorySwap < r.Memory:
		return bad("memswap_limit", "%d bytes is below the memory limit (%d); it counts memory plus swap", r.MemorySwap, r.Memory)
	case r.MemorySwappiness != nil && (*r.MemorySwappiness < 0 || *r.MemorySwappiness > 100):
		return bad("mem_swappiness", "%d is outside 0-100", *r.MemorySwappiness)
	case s.ShmSize < 0:
		return bad("shm_size", "%d is negative", s.ShmSize)
	case s.OomScoreAdj < -1000 || s.OomScoreAdj > 1000:
		return bad("oom_score_adj", "%d is outside -1000..1000", s.OomScoreAdj)
	case r.BlkioWeight != 0 && (r.BlkioWeight < 10 || r.BlkioWeight > 1000):
		return bad("blkio_config.weight", "%d is outside 10-1000", r.BlkioWeight)
	}
	for _, u := range r.Ulimits {
		if u.Soft > u.Hard {
			return bad("ulimits."+u.Name, "soft limit %d is above the hard limit %d", u.Soft, u.Hard)
		}
	}
	return nil
}

// sortedNames returns a map's keys in order.
func sortedNames[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
