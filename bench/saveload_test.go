//go:build linux

package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// BenchmarkSaveLoad compares devstack save and load of a 3-image project
// with the manual way, measured in the same run, five rounds alternating
// which goes first, medians:
//
//   - save: `docker save A B C | zstd` (the zstd CLI at its default level
//     3; devstack's encoder runs at klauspost's SpeedDefault, its match,
//     after the long-distance match layer, which the CLI does only with
//     --long) plus copying the project's files, against `devstack save
//     --compression zstd-long` (the mode the figures measured before
//     save's default became a plain tar in zstd). Targets: size <= 1.0x,
//     time <= 1.1x. The size of one default save (a plain tar in zstd, no
//     long-distance matching) is reported beside it, with no target.
//   - load: `zstd -dc FILE | docker load` against `devstack load`, which
//     also checks every checksum and the manifest on the way (one read).
//     Both start with the three images removed. Target: time <= 1.1x.
//
// The engine's work is the same either way, and on a loaded machine it is
// most of the wall time; the client side's CPU time (devstack against the
// docker CLI and zstd) is reported beside it.
//
// The images: A is busybox plus Go's source tree (text), B is A plus Go's
// tool binaries (so A's layers are shared), C is busybox plus Perl's
// library. All are built here and removed at the end.
func BenchmarkSaveLoad(b *testing.B) {
	for range b.N {
		s := newSaveLoad(b)
		var dsSave, manSave, dsLoad, manLoad []time.Duration
		var dsSaveCPU, manSaveCPU, dsLoadCPU, manLoadCPU []time.Duration
		var dsSize, manSize int64
		for round := range 5 {
			manual := func() {
				t, size := s.manualSave(b)
				manSave, manSize, manSaveCPU = append(manSave, t), size, append(manSaveCPU, s.cpu)
				manLoad = append(manLoad, s.manualLoad(b))
				manLoadCPU = append(manLoadCPU, s.cpu)
			}
			if round%2 == 1 {
				manual()
			}
			t, size := s.devstackSave(b)
			dsSave, dsSize, dsSaveCPU = append(dsSave, t), size, append(dsSaveCPU, s.cpu)
			dsLoad = append(dsLoad, s.devstackLoad(b))
			dsLoadCPU = append(dsLoadCPU, s.cpu)
			if round%2 == 0 {
				manual()
			}
		}
		zstdSize := s.devstackSaveDefault(b)
		b.Logf("save: devstack %v, manual %v; load: devstack %v, manual %v", dsSave, manSave, dsLoad, manLoad)
		report(b, "export-mb", fmt.Sprintf("save: 3 images, engine export %.0f MB (%d CPUs)", float64(s.exportSize)/1e6, runtime.NumCPU()), float64(s.exportSize)/1e6, "MB", 0)
		report(b, "save-size", "save: archive size (zstd-long) / docker save|zstd + files", float64(dsSize)/float64(manSize), "x", 1.0)
		report(b, "save-size-zstd", "  default zstd (a plain tar) / docker save|zstd + files", float64(zstdSize)/float64(manSize), "x", 0)
		report(b, "save-time", "save: time / docker save|zstd + cp (median of 5)", median(dsSave).Seconds()/median(manSave).Seconds(), "x", 1.1)
		report(b, "save-s", "  devstack save (median of 5)", median(dsSave).Seconds(), "s", 0)
		report(b, "mansave-s", "  docker save | zstd + cp (median of 5)", median(manSave).Seconds(), "s", 0)
		report(b, "save-cpu", "  CPU: devstack save / docker CLI + zstd (median of 5)", median(dsSaveCPU).Seconds()/median(manSaveCPU).Seconds(), "x", 0)
		report(b, "load-time", "load: time / zstd -dc | docker load (median of 5)", median(dsLoad).Seconds()/median(manLoad).Seconds(), "x", 1.1)
		report(b, "load-s", "  devstack load (median of 5)", median(dsLoad).Seconds(), "s", 0)
		report(b, "manload-s", "  zstd -dc | docker load (median of 5)", median(manLoad).Seconds(), "s", 0)
		report(b, "load-cpu", "  CPU: devstack load / zstd + docker CLI (median of 5)", median(dsLoadCPU).Seconds()/median(manLoadCPU).Seconds(), "x", 0)
		report(b, "loadavg", "  1-min load average at the end", loadAvgValue(), "", 0)
	}
}

// saveLoad is the benchmark's project: three images and a compose file
// naming them, in dir.
type saveLoad struct {
	name, dir, out string
	images         []string
	exportSize     int64
	// cpu is the user+system time of the last command (devstack, or the
	// manual pipeline's shell with the docker CLI and zstd under it).
	cpu time.Duration
}

func newSaveLoad(b *testing.B) *saveLoad {
	b.Helper()
	s := &saveLoad{name: "dsbench-" + randID(), dir: b.TempDir(), out: b.TempDir()}
	goroot := strings.TrimSpace(string(must(exec.Command("go", "env", "GOROOT").Output())))
	a, bb, c := s.name+"-a:1", s.name+"-b:1", s.name+"-c:1"
	s.images = []string{a, bb, c}
	b.Cleanup(func() { exec.Command("docker", append([]string{"rmi", "-f"}, s.images...)...).Run() })
	s.build(b, a, benchImage, filepath.Join(goroot, "src"), "/go/src")
	s.build(b, bb, a, filepath.Join(goroot, "pkg", "tool"), "/go/pkg/tool")
	s.build(b, c, benchImage, "/usr/share/perl", "/usr/share/perl")
	var y strings.Builder
	y.WriteString("services:\n")
	for i, img := range s.images {
		fmt.Fprintf(&y, "  s%d:\n    image: %s\n    command: %s\n    env_file: app.env\n", i, img, flow("sh", "-c", idleCmd))
	}
	write(b, filepath.Join(s.dir, "compose.yaml"), y.String())
	write(b, filepath.Join(s.dir, ".env"), "COMPOSE_PROJECT_NAME="+s.name+"\n")
	write(b, filepath.Join(s.dir, "app.env"), "MODE=bench\n")
	size, err := s.pipe("docker save "+strings.Join(s.images, " ")+" | wc -c", "")
	if err != nil {
		b.Fatal(err)
	}
	fmt.Sscan(size, &s.exportSize)
	return s
}

// build makes image FROM base with the directory src copied to dst.
func (s *saveLoad) build(b *testing.B, image, base, src, dst string) {
	b.Helper()
	df := fmt.Sprintf("FROM %s\nCOPY . %s\n", base, dst)
	cmd := exec.Command("docker", "build", "-q", "-t", image, "-f", "-", src)
	cmd.Stdin = strings.NewReader(df)
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("building %s: %v\n%s", image, err, out)
	}
}

func (s *saveLoad) manualSave(b *testing.B) (time.Duration, int64) {
	b.Helper()
	file := filepath.Join(s.out, "manual.tar.zst")
	files := filepath.Join(s.out, "manual-files")
	os.RemoveAll(files)
	start := time.Now()
	if _, err := s.pipe(fmt.Sprintf("docker save %s | zstd -q -f -o %s && mkdir %s && cp compose.yaml .env app.env %s", strings.Join(s.images, " "), file, files, files), s.dir); err != nil {
		b.Fatal(err)
	}
	took := time.Since(start)
	return took, fileSize(b, file) + fileSize(b, filepath.Join(files, "compose.yaml")) + fileSize(b, filepath.Join(files, ".env")) + fileSize(b, filepath.Join(files, "app.env"))
}

func (s *saveLoad) manualLoad(b *testing.B) time.Duration {
	b.Helper()
	s.removeImages(b)
	start := time.Now()
	if _, err := s.pipe("zstd -dc "+filepath.Join(s.out, "manual.tar.zst")+" | docker load -q", ""); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

func (s *saveLoad) devstackSave(b *testing.B) (time.Duration, int64) {
	b.Helper()
	file := filepath.Join(s.out, "devstack.ldm.zst")
	start := time.Now()
	s.devstack(b, s.dir, "save", "--compression", "zstd-long", "-o", file)
	return time.Since(start), fileSize(b, file)
}

// devstackSaveDefault saves once with the default compression, a plain
// tar in zstd, and returns the archive's size.
func (s *saveLoad) devstackSaveDefault(b *testing.B) int64 {
	b.Helper()
	file := filepath.Join(s.out, "devstack.tar.zst")
	s.devstack(b, s.dir, "save", "-o", file)
	size := fileSize(b, file)
	os.Remove(file)
	return size
}

func (s *saveLoad) devstackLoad(b *testing.B) time.Duration {
	b.Helper()
	s.removeImages(b)
	dir := filepath.Join(s.out, "loaded")
	os.RemoveAll(dir)
	start := time.Now()
	s.devstack(b, s.out, "load", filepath.Join(s.out, "devstack.ldm.zst"), "--project-directory", dir)
	return time.Since(start)
}

func (s *saveLoad) removeImages(b *testing.B) {
	b.Helper()
	if out, err := exec.Command("docker", append([]string{"rmi"}, s.images...)...).CombinedOutput(); err != nil {
		b.Fatalf("docker rmi: %v\n%s", err, out)
	}
}

func (s *saveLoad) devstack(b *testing.B, dir string, args ...string) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, devstackBin, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("devstack %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	s.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// pipe runs a bash pipeline (pipefail) in dir and returns its stdout.
func (s *saveLoad) pipe(script, dir string) (string, error) {
	cmd := exec.Command("bash", "-o", "pipefail", "-c", script)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s: %v: %s", script, err, stderr.String())
	}
	s.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return stdout.String(), nil
}

func loadAvgValue() float64 {
	var v float64
	fmt.Sscan(loadAvg(), &v)
	return v
}

func fileSize(b *testing.B, path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return st.Size()
}

func write(b *testing.B, path, content string) {
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		b.Fatal(err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
