//go:build linux

package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// busyboxImage is the image scripts get as $IMAGE: FROM scratch plus a
// statically linked busybox with its applets (sh, httpd, wget, nc, sleep...)
// installed as symlinks in /bin. No registry is needed to build it.
const busyboxImage = "devstack-test/busybox:1"

// specLabel holds a hash of an image's build recipe, so an image left over
// from an older recipe is rebuilt instead of silently reused.
const specLabel = "devstack.e2e.spec"

// testImage describes one image the e2e tests need.
type testImage struct {
	name       string
	dockerfile string
	// files maps a name in the build context to the host file copied there.
	files map[string]string
}

// testImages are built once per test binary run if missing. Add more here.
var testImages = []testImage{
	{
		name: busyboxImage,
		dockerfile: "FROM scratch\n" +
			"COPY busybox /bin/busybox\n" +
			"RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n",
		files: map[string]string{"busybox": "/bin/busybox"},
	},
}

// ensureImages builds every image in testImages that is missing or stale.
func ensureImages() error {
	for _, img := range testImages {
		if err := ensureImage(img); err != nil {
			return fmt.Errorf("image %s: %w", img.name, err)
		}
	}
	return nil
}

func ensureImage(img testImage) error {
	spec := img.spec()
	have, err := dockerOut("image", "inspect", "-f",
		`{{index .Config.Labels "`+specLabel+`"}}`, img.name)
	if err == nil && strings.TrimSpace(have) == spec {
		return nil
	}
	return buildImage(img, spec)
}

// spec hashes the recipe (Dockerfile and context file names).
func (img testImage) spec() string {
	h := sha256.New()
	io.WriteString(h, img.dockerfile)
	names := make([]string, 0, len(img.files))
	for name, src := range img.files {
		names = append(names, name+"="+src)
	}
	sort.Strings(names)
	io.WriteString(h, strings.Join(names, "\n"))
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// buildImage builds img with the classic builder from a temporary context.
func buildImage(img testImage, spec string) error {
	dir, err := os.MkdirTemp("", "devstack-e2e-img-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for name, src := range img.files {
		if err := copyFile(src, filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	df := img.dockerfile + "LABEL " + specLabel + "=" + spec + "\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(df), 0o644); err != nil {
		return err
	}
	_, err = dockerEnvOut([]string{"DOCKER_BUILDKIT=0"}, "build", "-q", "-t", img.name, dir)
	return err
}

// copyFile copies src to dst, keeping the executable bits.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, st.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// dockerOut runs the docker CLI with the test binary's environment and
// returns its stdout; the error includes stderr.
func dockerOut(args ...string) (string, error) { return dockerEnvOut(nil, args...) }

func dockerEnvOut(env []string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "docker", args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("docker %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// dockerLines runs docker and returns the non-empty lines of its stdout.
func dockerLines(args ...string) ([]string, error) {
	out, err := dockerOut(args...)
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines, err
}
