// Package routerctl runs devstack's local HTTPS router on the engine: the
// image it assembles itself (no registry, no base image), the one router
// container, and each project's routes in it (internal/router computes
// them). cli calls it from up, down, ps and devstack router.
package routerctl

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/watch/inject"
)

const (
	// Name is the router container's name: one a engine.
	Name = "devstack-router"
	// Label marks the router's container and images.
	Label = "dev.devstack.router"
	// Repo is its images' repository; the tag is the program's hash.
	Repo = "devstack-router"
	// RoutesDir holds PROJECT.json in the container.
	RoutesDir = "/routes"
)

// Image is the router's image for one build of the program.
type Image struct {
	Ref string // devstack-router:HASH
	Tar []byte // a docker-archive (docker save) tar, one layer
}

// BuildImage assembles the image for program built for arch: one layer
// holding /devstack-router and an empty /routes, the program as entrypoint.
// Nothing else: no shell, no base image.
func BuildImage(program []byte, arch string) (Image, error) {
	sum := sha256.Sum256(program)
	ref := Repo + ":" + hex.EncodeToString(sum[:])[:12]
	layer, err := tarOf([]tarFile{
		{name: "devstack-router", mode: 0o755, data: program},
		{name: "routes/", mode: 0o755, dir: true},
	})
	if err != nil {
		return Image{}, err
	}
	diff := sha256.Sum256(layer)
	cfg, err := json.Marshal(map[string]any{
		"architecture": arch,
		"os":           "linux",
		"created":      time.Unix(0, 0).UTC(),
		"config": map[string]any{
			"Entrypoint":   []string{"/devstack-router"},
			"ExposedPorts": map[string]any{"80/tcp": struct{}{}, "443/tcp": struct{}{}},
			"Labels":       map[string]string{Label: "1"},
			"StopSignal":   "SIGTERM",
		},
		"rootfs":  map[string]any{"type": "layers", "diff_ids": []string{"sha256:" + hex.EncodeToString(diff[:])}},
		"history": []map[string]string{{"created_by": "devstack (the router program, no base image)"}},
	})
	if err != nil {
		return Image{}, err
	}
	cfgSum := sha256.Sum256(cfg)
	cfgName := hex.EncodeToString(cfgSum[:]) + ".json"
	manifest, _ := json.Marshal([]map[string]any{{
		"Config": cfgName, "RepoTags": []string{ref}, "Layers": []string{"layer/layer.tar"},
	}})
	archive, err := tarOf([]tarFile{
		{name: cfgName, mode: 0o644, data: cfg},
		{name: "layer/", mode: 0o755, dir: true},
		{name: "layer/layer.tar", mode: 0o644, data: layer},
		{name: "manifest.json", mode: 0o644, data: manifest},
	})
	return Image{Ref: ref, Tar: archive}, err
}

type tarFile struct {
	name string
	mode int64
	data []byte
	dir  bool
}

func tarOf(files []tarFile) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		h := &tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.data)), Typeflag: tar.TypeReg, ModTime: time.Unix(0, 0), Format: tar.FormatPAX}
		if f.dir {
			h.Typeflag, h.Size = tar.TypeDir, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ensureImage loads the router's image for the engine's architecture
// unless the engine has it; it answers its reference.
func ensureImage(ctx context.Context, api dockerapi.API) (string, error) {
	v, err := api.ServerVersion(ctx)
	if err != nil {
		return "", err
	}
	program, ok := inject.Program("devstack-router", "linux/"+v.Arch)
	if !ok {
		return "", fmt.Errorf("%w for linux/%s (make build embeds it; a plain go build does not)", ErrNoProgram, v.Arch)
	}
	sum := sha256.Sum256(program)
	ref := Repo + ":" + hex.EncodeToString(sum[:])[:12]
	if _, err := api.ImageInspect(ctx, ref); err == nil {
		return ref, nil
	}
	img, err := BuildImage(program, v.Arch)
	if err != nil {
		return "", err
	}
	resp, err := api.ImageLoad(ctx, bytes.NewReader(img.Tar))
	if err != nil {
		return "", fmt.Errorf("loading the router's image: %w", err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if bytes.Contains(out, []byte(`"error"`)) {
		return "", fmt.Errorf("loading the router's image: %s", bytes.TrimSpace(out))
	}
	return img.Ref, nil
}
