//go:build linux

package e2e

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// Stand-ins replace the official images of the presets (internal/presets/<name>),
// which no registry here can provide. Each is built from standins/<name>/
// Dockerfile (context: standins/) FROM baseImage, a Debian made by
// debootstrap that carries every server the stand-ins need.

// baseImage is the shared base of the stand-ins.
const baseImage = "devstack-test/debian:1"

// baseRecipe is what debootstrap installs into baseImage; part of its spec
// label, so changing it rebuilds the base.
var baseRecipe = struct {
	suite, mirror string
	packages      []string
}{
	suite:  "bookworm",
	mirror: "http://deb.debian.org/debian",
	packages: []string{
		"nginx-light", "mariadb-server", "mariadb-client", "redis-server", "postgresql",
		"php-fpm", "apache2", "nodejs", "wget", "curl", "ca-certificates", "procps",
	},
}

// standinNames are the presets with a stand-in (standins/<name>/Dockerfile),
// in build order: mysql's stand-in is built FROM mariadb's.
var standinNames = []string{"nginx", "apache", "mariadb", "mysql", "postgres", "redis", "php-fpm", "node"}

// standinImage is the tag of a preset's stand-in.
func standinImage(name string) string { return "devstack-test/" + name + ":1" }

// standinEnv maps each stand-in preset's image variable (NGINX_IMAGE,
// PHP_FPM_IMAGE, ...) to its stand-in, for the scripts' environment: a
// preset fragment takes its image from that variable.
func standinEnv() map[string]string {
	env := map[string]string{}
	for _, name := range standinNames {
		env[strings.ToUpper(strings.ReplaceAll(name, "-", "_"))+"_IMAGE"] = standinImage(name)
	}
	return env
}

// ensureStandins makes baseImage when it is missing or was made from another
// recipe (debootstrap, a few minutes), then builds every stand-in that is
// missing or whose recipe (the files under standins/ and the base image)
// changed. Up to date, it costs a few `docker image inspect`.
func ensureStandins() error {
	start := time.Now()
	staleBase, rebuilt, err := ensureBase()
	if err != nil {
		return fmt.Errorf("image %s: %w", baseImage, err)
	}
	if rebuilt && testing.Verbose() {
		fmt.Fprintf(os.Stderr, "e2e: %s made in %v\n", baseImage, time.Since(start).Round(time.Second))
	}
	dir, err := filepath.Abs("standins")
	if err != nil {
		return err
	}
	baseID, err := dockerOut("image", "inspect", "-f", "{{.Id}}", baseImage)
	if err != nil {
		return err
	}
	spec, err := treeHash(dir, strings.TrimSpace(baseID))
	if err != nil {
		return err
	}
	for _, name := range standinNames {
		if err := ensureStandin(dir, name, spec); err != nil {
			return fmt.Errorf("image %s: %w", standinImage(name), err)
		}
	}
	if staleBase != "" {
		dockerOut("rmi", staleBase) // once no stand-in uses it; best effort
	}
	return nil
}

func ensureStandin(dir, name, spec string) error {
	image := standinImage(name)
	have, err := dockerOut("image", "inspect", "-f", `{{.Id}} {{index .Config.Labels "`+specLabel+`"}}`, image)
	oldID, oldSpec, _ := strings.Cut(strings.TrimSpace(have), " ")
	if err == nil && oldSpec == spec {
		return nil
	}
	start := time.Now()
	_, err = dockerEnvOut([]string{"DOCKER_BUILDKIT=0"}, "build", "-q", "--label", specLabel+"="+spec,
		"-f", filepath.Join(dir, name, "Dockerfile"), "-t", image, dir)
	if err != nil {
		return err
	}
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "e2e: %s built in %v\n", image, time.Since(start).Round(100*time.Millisecond))
	}
	if oldID != "" {
		dockerOut("rmi", oldID) // the stale one, if nothing uses it; best effort
	}
	return nil
}

// treeHash hashes salt and every file under dir (path, mode, content).
func treeHash(dir, salt string) (string, error) {
	h := sha256.New()
	io.WriteString(h, salt+"\n")
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		return "", err
	}
	sort.Strings(paths)
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return "", err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return "", err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(h, "%s %o %d\n", filepath.ToSlash(rel), st.Mode().Perm(), len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// baseSpec hashes baseRecipe (and how the tree is trimmed, below).
func baseSpec() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\n%s\n", baseRecipe.suite, baseRecipe.mirror,
		strings.Join(baseRecipe.packages, ","), strings.Join(baseTrim, ","))
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// baseTrim is removed from the debootstrapped tree before it is imported.
var baseTrim = []string{"var/cache/apt/archives/*.deb", "var/lib/apt/lists/*", "usr/share/doc/*", "usr/share/man/*"}

// ensureBase makes baseImage unless an image of the same recipe exists;
// rebuilt tells whether it did, stale is the ID of the image it replaced.
func ensureBase() (stale string, rebuilt bool, err error) {
	spec := baseSpec()
	have, err := dockerOut("image", "inspect", "-f", `{{.Id}} {{index .Config.Labels "`+specLabel+`"}}`, baseImage)
	stale, haveSpec, _ := strings.Cut(strings.TrimSpace(have), " ")
	if err == nil && haveSpec == spec {
		return "", false, nil
	}
	if onPodman && baseFromDocker(spec) == nil {
		return stale, true, nil
	}
	if err := makeBase(spec); err != nil {
		return "", false, err
	}
	return stale, true, nil
}

// makeBase debootstraps baseRecipe and imports it as baseImage.
func makeBase(spec string) error {
	if _, err := exec.LookPath("debootstrap"); err != nil {
		return errors.New("debootstrap is needed to make it (apt-get install debootstrap)")
	}
	tmp, err := os.MkdirTemp("", "devstack-e2e-debian-")
	if err != nil {
		return err
	}
	root := filepath.Join(tmp, "root")
	defer func() {
		// debootstrap mounts proc and sys inside the tree while it works:
		// never remove the tree while anything is still mounted there.
		if unmountUnder(tmp) == nil {
			os.RemoveAll(tmp)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "debootstrap", "--variant=minbase",
		"--include="+strings.Join(baseRecipe.packages, ","), baseRecipe.suite, root, baseRecipe.mirror)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("debootstrap: %v\n%s", err, tail(string(out), 2000))
	}
	if err := unmountUnder(tmp); err != nil {
		return err
	}
	for _, pattern := range baseTrim {
		matches, _ := filepath.Glob(filepath.Join(root, pattern))
		for _, m := range matches {
			if err := os.RemoveAll(m); err != nil {
				return err
			}
		}
	}
	tar := exec.CommandContext(ctx, "tar", "-C", root, "--numeric-owner", "-c", ".")
	imp := exec.CommandContext(ctx, "docker", "import",
		"--change", "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"--change", `CMD ["bash"]`,
		"--change", "LABEL "+specLabel+"="+spec,
		"-", baseImage)
	return pipeCommands("tar", tar, "docker import", imp)
}

// pipeCommands runs from | to; a failure names the command (fromName or
// toName) with its error output.
func pipeCommands(fromName string, from *exec.Cmd, toName string, to *exec.Cmd) error {
	pipe, err := from.StdoutPipe()
	if err != nil {
		return err
	}
	to.Stdin = pipe
	var fromErr, toOut strings.Builder
	from.Stderr = &fromErr
	to.Stdout, to.Stderr = &toOut, &toOut
	if err := from.Start(); err != nil {
		return err
	}
	toErr := to.Run()
	if err := from.Wait(); err != nil {
		return fmt.Errorf("%s: %v: %s", fromName, err, fromErr.String())
	}
	if toErr != nil {
		return fmt.Errorf("%s: %v: %s", toName, toErr, toOut.String())
	}
	return nil
}

// unmountUnder lazily unmounts every mount point below dir, deepest first.
func unmountUnder(dir string) error {
	f, err := os.Open("/proc/self/mounts")
	if err != nil {
		return err
	}
	defer f.Close()
	var points []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) > 1 && strings.HasPrefix(fields[1], dir+"/") {
			points = append(points, fields[1])
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(points)))
	for _, p := range points {
		if out, err := exec.Command("umount", "-l", p).CombinedOutput(); err != nil {
			return fmt.Errorf("umount %s: %v: %s", p, err, out)
		}
	}
	return s.Err()
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
