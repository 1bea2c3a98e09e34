//go:build linux

package bench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
	"github.com/docker/docker/client"
	"golang.org/x/sync/errgroup"
)

const (
	projectLabel = "com.docker.compose.project"
	// rawLabel marks the raw baseline's containers and network; its value is
	// unique per run, so cleanup never touches anything else.
	rawLabel = "devstack.bench.raw"
	rawCount = 30
)

// api is the benchmark's own engine client (set up in TestMain).
var api *client.Client

func connect() error {
	c, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.Ping(ctx); err != nil {
		c.Close()
		return fmt.Errorf("docker engine not answering, and one is expected (DEVSTACK_E2E, DEVSTACK_E2E_SWARM, DEVSTACK_E2E_RACES or CI set; DEVSTACK_E2E=skip skips these benchmarks): %w", err)
	}
	api = c
	return nil
}

// timeRaw30 is the raw engine baseline: one network, then 30 containers
// (same image and command as workload B) each created and started
// concurrently, with no ordering. The network's creation is included, as
// devstack up creates one too. Then, as a baseline for down, it stops and
// removes them concurrently and removes the network. Whatever is left is
// swept before returning.
func timeRaw30(b *testing.B) (up, down time.Duration) {
	b.Helper()
	id := randID()
	filter := rawLabel + "=" + id
	b.Cleanup(func() { _ = sweep(filter) })
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	start := time.Now()
	ids, err := rawUp(ctx, id)
	up = time.Since(start)
	if err != nil {
		b.Fatalf("raw baseline up: %v", err)
	}
	if n, err := countRunning(filter); err != nil || n != rawCount {
		b.Fatalf("raw baseline: %d running containers (%v), want %d", n, err, rawCount)
	}
	start = time.Now()
	err = rawDown(ctx, id, ids)
	down = time.Since(start)
	if err != nil {
		b.Fatalf("raw baseline down: %v", err)
	}
	if err := sweep(filter); err != nil {
		b.Fatalf("raw baseline cleanup: %v", err)
	}
	return up, down
}

// rawUp creates the network and the containers labelled rawLabel=id.
func rawUp(ctx context.Context, id string) ([]string, error) {
	labels := map[string]string{rawLabel: id}
	netName := "dsbench-raw-" + id
	if _, err := api.NetworkCreate(ctx, netName, network.CreateOptions{Labels: labels}); err != nil {
		return nil, err
	}
	ids := make([]string, rawCount)
	eg, ctx := errgroup.WithContext(ctx)
	for i := range rawCount {
		eg.Go(func() error {
			name := fmt.Sprintf("%s-%d", netName, i+1)
			cfg := &container.Config{Image: benchImage, Cmd: []string{"sh", "-c", idleCmd}, Labels: labels}
			host := &container.HostConfig{NetworkMode: container.NetworkMode(netName)}
			c, err := api.ContainerCreate(ctx, cfg, host, nil, nil, name)
			if err != nil {
				return err
			}
			ids[i] = c.ID
			return api.ContainerStart(ctx, c.ID, container.StartOptions{})
		})
	}
	return ids, eg.Wait()
}

// rawDown stops and removes the containers concurrently, then the network.
func rawDown(ctx context.Context, id string, ids []string) error {
	eg, ectx := errgroup.WithContext(ctx)
	for _, cid := range ids {
		eg.Go(func() error {
			if err := api.ContainerStop(ectx, cid, container.StopOptions{}); err != nil {
				return err
			}
			return api.ContainerRemove(ectx, cid, container.RemoveOptions{})
		})
	}
	if err := eg.Wait(); err != nil {
		return err
	}
	return api.NetworkRemove(ctx, "dsbench-raw-"+id)
}

// listTime times one engine call listing the containers with the label
// filter (k=v), the engine's share of a ps.
func listTime(b *testing.B, filter string) time.Duration {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	_, err := api.ContainerList(ctx, container.ListOptions{All: true, Filters: filters.NewArgs(filters.Arg("label", filter))})
	if err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// versionTime times the engine's own answer to GET /version, which
// `devstack version` waits for (a 20.10 engine runs runc and docker-init
// to fill it in).
func versionTime(b *testing.B) time.Duration {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	if _, err := api.ServerVersion(ctx); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// countRunning counts running containers carrying the label filter (k=v).
func countRunning(filter string) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	list, err := api.ContainerList(ctx, container.ListOptions{Filters: filters.NewArgs(filters.Arg("label", filter))})
	return len(list), err
}

// sweep force-removes the containers (with their anonymous volumes),
// networks and volumes carrying the label filter (k=v), and nothing else.
func sweep(filter string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := filters.NewArgs(filters.Arg("label", filter))
	list, err := api.ContainerList(ctx, container.ListOptions{All: true, Filters: args})
	if err != nil {
		return err
	}
	eg, ectx := errgroup.WithContext(ctx)
	eg.SetLimit(8)
	for _, c := range list {
		eg.Go(func() error {
			return api.ContainerRemove(ectx, c.ID, container.RemoveOptions{Force: true, RemoveVolumes: true})
		})
	}
	if err := eg.Wait(); err != nil {
		return err
	}
	nets, err := api.NetworkList(ctx, network.ListOptions{Filters: args})
	if err != nil {
		return err
	}
	for _, n := range nets {
		if err := api.NetworkRemove(ctx, n.ID); err != nil {
			return err
		}
	}
	vols, err := api.VolumeList(ctx, volume.ListOptions{Filters: args})
	if err != nil {
		return err
	}
	for _, v := range vols.Volumes {
		if err := api.VolumeRemove(ctx, v.Name, true); err != nil {
			return err
		}
	}
	return nil
}
