package dockerapi

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/pkg/jsonmessage"
)

// ImageBuild is the classic builder's answer: it reads the Dockerfile from
// the context, needs each FROM image present or pullable, runs nothing but
// fails at a RUN of `false` or `exit N` as a failing step does, and tags a
// new image, labelled as asked. The stream reports the steps as the engine's
// does.
func (f *FakeClient) ImageBuild(_ context.Context, context io.Reader, o build.ImageBuildOptions) (build.ImageBuildResponse, error) {
	dockerfile := o.Dockerfile
	if dockerfile == "" {
		dockerfile = "Dockerfile"
	}
	steps, err := readDockerfile(context, dockerfile)
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("ImageBuild", strings.Join(o.Tags, ",")); err != nil {
		return build.ImageBuildResponse{}, err
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	respond := func() (build.ImageBuildResponse, error) {
		return build.ImageBuildResponse{Body: io.NopCloser(&out), OSType: "linux"}, nil
	}
	if err != nil {
		_ = enc.Encode(jsonmessage.JSONMessage{Error: &jsonmessage.JSONError{Message: err.Error()}})
		return respond()
	}
	for i, step := range steps {
		_ = enc.Encode(jsonmessage.JSONMessage{Stream: fmt.Sprintf("Step %d/%d : %s\n", i+1, len(steps), step)})
		if msg := f.buildStep(step); msg != "" {
			_ = enc.Encode(jsonmessage.JSONMessage{Error: &jsonmessage.JSONError{Message: msg}, ErrorMessage: msg})
			return respond()
		}
	}
	img := f.newImage(nil)
	img.Config.Labels = o.Labels
	f.images[img.ID] = img
	_ = enc.Encode(jsonmessage.JSONMessage{Aux: rawJSON(map[string]string{"ID": img.ID})})
	_ = enc.Encode(jsonmessage.JSONMessage{Stream: "Successfully built " + img.ID[7:19] + "\n"})
	for _, t := range o.Tags {
		f.tag(t, img)
		_ = enc.Encode(jsonmessage.JSONMessage{Stream: "Successfully tagged " + normalize(t) + "\n"})
	}
	return respond()
}

// buildStep is the error a step fails with, or "".
func (f *FakeClient) buildStep(step string) string {
	instr, arg, _ := strings.Cut(step, " ")
	switch strings.ToUpper(instr) {
	case "FROM":
		base, _, _ := strings.Cut(strings.TrimSpace(arg), " ")
		if base == "scratch" || f.image(base) != nil {
			return ""
		}
		if img := f.registry[normalize(base)]; img != nil {
			f.tag(base, img)
			return ""
		}
		return fmt.Sprintf("pull access denied for %s, repository does not exist or may require 'docker login'", base)
	case "RUN":
		cmd := strings.TrimSpace(arg)
		if cmd == "false" || strings.HasPrefix(cmd, "exit ") {
			code := "1"
			if c, ok := strings.CutPrefix(cmd, "exit "); ok {
				code = c
			}
			return fmt.Sprintf("The command '/bin/sh -c %s' returned a non-zero code: %s", cmd, code)
		}
	}
	return ""
}

// readDockerfile finds the Dockerfile in a build context and returns its
// instructions.
func readDockerfile(context io.Reader, name string) ([]string, error) {
	tr := tar.NewReader(context)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil, fmt.Errorf("Cannot locate specified Dockerfile: %s", name)
		}
		if err != nil {
			return nil, err
		}
		if hdr.Name != name {
			continue
		}
		var steps []string
		sc := bufio.NewScanner(tr)
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
				steps = append(steps, line)
			}
		}
		return steps, sc.Err()
	}
}

func rawJSON(v any) *json.RawMessage {
	b, _ := json.Marshal(v)
	m := json.RawMessage(b)
	return &m
}

// ImagePush publishes a local image under ref to its registry, for later
// pulls (AddPullable's registry).
func (f *FakeClient) ImagePush(_ context.Context, ref string, _ image.PushOptions) (io.ReadCloser, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("ImagePush", ref); err != nil {
		return nil, err
	}
	img := f.images[f.tags[normalize(ref)]]
	if img == nil {
		return nil, notFound("An image does not exist locally with the tag: %s", ref)
	}
	f.registry[normalize(ref)] = clone(img)
	f.emit(events.ImageEventType, events.ActionPush, ref, map[string]string{"name": ref})
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	layer := img.ID[7:19]
	for _, m := range []jsonmessage.JSONMessage{
		{Status: "The push refers to repository [" + ref + "]"},
		{Status: "Pushing", ID: layer, Progress: &jsonmessage.JSONProgress{Current: 512, Total: 1024}},
		{Status: "Pushed", ID: layer},
		{Status: "latest: digest: " + img.ID + " size: 1024"},
	} {
		_ = enc.Encode(m)
	}
	return io.NopCloser(&out), nil
}
