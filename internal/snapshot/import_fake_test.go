package snapshot

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/bundle"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/snapshot/manifest"
)

// fullStore is an engine whose store has no room: CopyToContainer takes
// the whole upload, then fails, as an engine does that unpacks it as it
// comes and runs out of space.
type fullStore struct{ *dockerapi.FakeClient }

func (fullStore) ContainerStatPath(context.Context, string, string) (container.PathStat, error) {
	return container.PathStat{}, errdefs.ErrNotFound
}

func (fullStore) CopyToContainer(_ context.Context, _, _ string, content io.Reader, _ container.CopyToContainerOptions) error {
	if _, err := io.Copy(io.Discard, content); err != nil {
		return err
	}
	return errors.New("no space left on device")
}

// members walks an export held in memory.
type members []struct {
	name string
	data []byte
}

func (ms members) Walk(fn func(bundle.Member, io.Reader) error) error {
	for _, m := range ms {
		if err := fn(bundle.Member{Name: m.name, Type: bundle.TypeFile, Size: int64(len(m.data))}, bytes.NewReader(m.data)); err != nil {
			return err
		}
	}
	return nil
}

// An engine that fails the upload at its end: the import says so, removes
// its stage and returns (it waited forever for the upload a second time).
func TestImportEngineFailsAtTheEnd(t *testing.T) {
	api := dockerapi.NewFakeClient()
	api.AddImage(helper.Image, nil)
	api.ExitOnStart("devstack-snapshot-demo-transfer", 0)
	vol := volArchive(t, &tar.Header{Name: "./", Typeflag: tar.TypeDir, Mode: 0o755}, &tar.Header{Name: "./f", Typeflag: tar.TypeReg, Mode: 0o644, Size: 10})
	sum := sha256.Sum256(vol)
	m := manifest.Manifest{Name: "s1", Project: "other", Created: time.Now().UTC(), Volumes: []manifest.Volume{{Key: "data", Name: "other_data", Size: int64(len(vol)), Content: 10, SHA256: hex.EncodeToString(sum[:])}}}
	raw, _ := json.Marshal(m)
	src := members{{manifest.File, raw}, {"data" + manifest.Suffix, vol}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := Import(ctx, fullStore{api}, "demo", src, "", helper)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "copying the snapshot to the engine: no space left on device") {
			t.Fatalf("import into a full store: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("import into a full store did not return")
	}
	if api.Count("ContainerStart") != 1 { // the transfer container's discard
		t.Errorf("%d starts: the stage was not discarded", api.Count("ContainerStart"))
	}
	if left := helpersLeft(t, api); len(left) != 0 {
		t.Errorf("helpers left: %v", left)
	}
}
