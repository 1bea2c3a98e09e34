package enginetest

import (
	"net"
	"net/http"
	"path/filepath"
	"testing"
)

// clearEnv unsets every knob (make test sets some for the whole run) and
// points DOCKER_HOST at host.
func clearEnv(t *testing.T, host string) {
	for _, k := range []string{"DEVSTACK_E2E", "DEVSTACK_E2E_SWARM", "DEVSTACK_E2E_K8S", "DEVSTACK_E2E_RACES", "CI", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_API_VERSION"} {
		t.Setenv(k, "")
	}
	t.Setenv("DOCKER_HOST", host)
}

func TestExpected(t *testing.T) {
	for _, c := range []struct {
		key, val string
		want     bool
	}{
		{"", "", false},
		{"DEVSTACK_E2E", "1", true},
		{"DEVSTACK_E2E_SWARM", "1", true},
		{"DEVSTACK_E2E_K8S", "1", true},
		{"DEVSTACK_E2E_RACES", "1", true},
		{"CI", "true", true},
		{"CI", "false", false},
		{"CI", "0", false},
	} {
		clearEnv(t, "unix:///nonexistent.sock")
		if c.key != "" {
			t.Setenv(c.key, c.val)
		}
		if got := Expected(); got != c.want {
			t.Errorf("%s=%q: Expected() = %v, want %v", c.key, c.val, got, c.want)
		}
	}
}

func TestSkipLineNoEngine(t *testing.T) {
	host := "unix://" + filepath.Join(t.TempDir(), "none.sock")
	clearEnv(t, host)
	want := "e2e: no Docker engine at " + host + "; start one (make engine) and run make test"
	if got := SkipLine("e2e", "make test"); got != want {
		t.Errorf("SkipLine = %q, want %q", got, want)
	}
	// Expected: the package runs, and its own setup fails on the missing engine.
	t.Setenv("DEVSTACK_E2E", "1")
	if got := SkipLine("e2e", "make test"); got != "" {
		t.Errorf("with DEVSTACK_E2E=1: SkipLine = %q, want \"\"", got)
	}
	t.Setenv("DEVSTACK_E2E", "skip")
	if got := SkipLine("e2e", "make test"); got != "e2e: skipped (DEVSTACK_E2E=skip); run make test with a Docker engine" {
		t.Errorf("with DEVSTACK_E2E=skip: SkipLine = %q", got)
	}
}

// TestSkipLineEngineAnswers runs the package when an engine (here a
// stand-in answering /_ping on a unix socket) answers.
func TestSkipLineEngineAnswers(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "engine.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Api-Version", "1.43")
		_, _ = w.Write([]byte("OK"))
	})}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	clearEnv(t, "unix://"+sock)
	if got := SkipLine("bench", "make bench"); got != "" {
		t.Errorf("SkipLine = %q, want \"\" (the engine answers)", got)
	}
	// DEVSTACK_E2E=skip skips whatever answers.
	t.Setenv("DEVSTACK_E2E", "skip")
	if got := SkipLine("bench", "make bench"); got == "" {
		t.Error("with DEVSTACK_E2E=skip: SkipLine = \"\", want a line")
	}
}

func TestMainRunsOrSkips(t *testing.T) {
	clearEnv(t, "unix://"+filepath.Join(t.TempDir(), "none.sock"))
	ran := false
	if code := Main("e2e", "make test", func() int { ran = true; return 3 }); code != 0 || ran {
		t.Errorf("no engine: Main = %d (ran %v), want 0 without running", code, ran)
	}
	t.Setenv("DEVSTACK_E2E", "1")
	if code := Main("e2e", "make test", func() int { ran = true; return 3 }); code != 3 || !ran {
		t.Errorf("DEVSTACK_E2E=1: Main = %d (ran %v), want run's 3", code, ran)
	}
}
