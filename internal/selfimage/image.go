// Package selfimage makes images of devstack's own small static programs
// (those package inject embeds) without a registry or a base image: one
// layer holding /PROGRAM (and empty directories), the program as
// entrypoint, assembled in memory as a docker-archive tar and handed to
// the engine's ImageLoad. The snapshot helper runs from such an image; the
// local HTTPS router's image is the same construction.
package selfimage

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"

	"github.com/devstack/devstack/internal/watch/inject"
)

// ErrNoProgram is a devstack built without the embedded programs (a plain
// go build; make build embeds them).
var ErrNoProgram = errors.New("this devstack carries no embedded program")

// Label marks the images selfimage makes; its value is the program's name.
const Label = "dev.devstack.program"

// Spec is what an image holds besides the program.
type Spec struct {
	Program      string            // its name: the file /PROGRAM, the repository PROGRAM
	Dirs         []string          // empty directories, e.g. "routes"
	ExposedPorts []string          // e.g. "443/tcp"
	Labels       map[string]string // the image's labels besides Label
}

// Image is an image for one build of a program.
type Image struct {
	Ref string // PROGRAM:HASH, HASH from the program's bytes
	Tar []byte // a docker-archive (docker save) tar, one layer
}

// Ref is the reference of the image of program under spec.
func Ref(spec Spec, program []byte) string {
	sum := sha256.Sum256(program)
	return spec.Program + ":" + hex.EncodeToString(sum[:])[:12]
}

// Build assembles the image of program built for linux/arch.
func Build(spec Spec, program []byte, arch string) (Image, error) {
	files := []File{{Name: spec.Program, Mode: 0o755, Data: program}}
	for _, d := range spec.Dirs {
		files = append(files, File{Name: d + "/", Mode: 0o755, Dir: true})
	}
	layer, err := Tar(files)
	if err != nil {
		return Image{}, err
	}
	ports := map[string]any{}
	for _, p := range spec.ExposedPorts {
		ports[p] = struct{}{}
	}
	diff := sha256.Sum256(layer)
	cfg, err := json.Marshal(map[string]any{
		"architecture": arch,
		"os":           "linux",
		"created":      time.Unix(0, 0).UTC(),
		"config": map[string]any{
			"Entrypoint":   []string{"/" + spec.Program},
			"ExposedPorts": ports,
			"Labels":       labels(spec),
			"StopSignal":   "SIGTERM",
		},
		"rootfs":  map[string]any{"type": "layers", "diff_ids": []string{"sha256:" + hex.EncodeToString(diff[:])}},
		"history": []map[string]string{{"created_by": "devstack (" + spec.Program + ", no base image)"}},
	})
	if err != nil {
		return Image{}, err
	}
	cfgSum := sha256.Sum256(cfg)
	cfgName := hex.EncodeToString(cfgSum[:]) + ".json"
	ref := Ref(spec, program)
	manifest, _ := json.Marshal([]map[string]any{{
		"Config": cfgName, "RepoTags": []string{ref}, "Layers": []string{"layer/layer.tar"},
	}})
	archive, err := Tar([]File{
		{Name: cfgName, Mode: 0o644, Data: cfg},
		{Name: "layer/", Mode: 0o755, Dir: true},
		{Name: "layer/layer.tar", Mode: 0o644, Data: layer},
		{Name: "manifest.json", Mode: 0o644, Data: manifest},
	})
	return Image{Ref: ref, Tar: archive}, err
}

func labels(spec Spec) map[string]string {
	out := map[string]string{Label: spec.Program}
	for k, v := range spec.Labels {
		out[k] = v
	}
	return out
}

// File is one member of a tar that Tar makes.
type File struct {
	Name string
	Mode int64
	Data []byte
	Dir  bool
}

// Tar is a tar of files, each dated at the epoch, so that the same files
// make the same bytes: the images' layers and archives, and the files
// devstack copies into its own programs' containers (the router's routes).
func Tar(files []File) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		h := &tar.Header{Name: f.Name, Mode: f.Mode, Size: int64(len(f.Data)), Typeflag: tar.TypeReg, ModTime: time.Unix(0, 0), Format: tar.FormatPAX}
		if f.Dir {
			h.Typeflag, h.Size = tar.TypeDir, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.Data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Engine is what Ensure asks of the engine.
type Engine interface {
	ServerVersion(ctx context.Context) (types.Version, error)
	ImageInspect(ctx context.Context, ref string, _ ...client.ImageInspectOption) (image.InspectResponse, error)
	ImageLoad(ctx context.Context, input io.Reader, _ ...client.ImageLoadOption) (image.LoadResponse, error)
}

// Ensure loads the image of the embedded program for the engine's
// architecture unless the engine has it, and answers its reference.
func Ensure(ctx context.Context, api Engine, spec Spec) (string, error) {
	v, err := api.ServerVersion(ctx)
	if err != nil {
		return "", err
	}
	program, ok := inject.Program(spec.Program, "linux/"+v.Arch)
	if !ok {
		return "", fmt.Errorf("%w %s for linux/%s (make build embeds it; a plain go build does not)", ErrNoProgram, spec.Program, v.Arch)
	}
	ref := Ref(spec, program)
	if _, err := api.ImageInspect(ctx, ref); err == nil {
		return ref, nil
	}
	img, err := Build(spec, program, v.Arch)
	if err != nil {
		return "", err
	}
	resp, err := api.ImageLoad(ctx, bytes.NewReader(img.Tar), client.ImageLoadWithQuiet(true))
	if err != nil {
		return "", fmt.Errorf("loading the image of %s: %w", spec.Program, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if bytes.Contains(out, []byte(`"error"`)) {
		return "", fmt.Errorf("loading the image of %s: %s", spec.Program, bytes.TrimSpace(out))
	}
	return img.Ref, nil
}
