//go:build linux

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestScriptsK8s runs testdata/k8s/*.txtar against the real single-node
// Kubernetes of scripts/k8s-rig (make test-k8s brings it up, runs this, and
// brings it down). It runs only with DEVSTACK_E2E_K8S=1, and then needs the
// rig's KUBECONFIG and DEVSTACK_K8S_RIG (its state dir, for loading images
// into the node). Besides the common environment, each script gets
// KUBECONFIG and NAMESPACE (its own, deleted after it; the script creates
// it); $IMAGE is in the node already, `k8sload IMAGE...` copies more images
// from the engine into the node, and `registry` starts the shared registry
// on the loopback ($REGISTRY), which the node's containerd pulls from as
// the engine pushes to it (plain HTTP: a loopback registry). The dashboard's
// tmux commands (tui_test.go) drive devstack dash --kubernetes.
func TestScriptsK8s(t *testing.T) {
	if os.Getenv("DEVSTACK_E2E_K8S") == "" {
		t.Skip("the Kubernetes scripts run with DEVSTACK_E2E_K8S=1 (make test-k8s)")
	}
	for _, k := range []string{"KUBECONFIG", "DEVSTACK_K8S_RIG"} {
		if os.Getenv(k) == "" {
			t.Fatalf("DEVSTACK_E2E_K8S is set but %s is not: run make test-k8s", k)
		}
	}
	if err := k8sLoad(busyboxImage); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sweepProjects(t) })
	testscript.Run(t, testscript.Params{
		Dir: "testdata/k8s", Setup: setupK8sScript, Condition: condition,
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"waitfor": cmdWaitfor, "httpget": cmdHTTPGet, "freeport": cmdFreeport, "sleep": cmdSleep,
			"k8sload": cmdK8sLoad, "registry": cmdRegistry,
			"tmuxstart": cmdTmuxStart, "tmuxkeys": cmdTmuxKeys, "tmuxwait": cmdTmuxWait, "tmuxshow": cmdTmuxShow,
		},
	})
}

// setupK8sScript is setupScript plus the script's namespace, deleted (with
// everything in it) once the script ends.
func setupK8sScript(env *testscript.Env) error {
	if err := setupScript(env); err != nil {
		return err
	}
	env.Setenv("KUBECONFIG", os.Getenv("KUBECONFIG"))
	ns := env.Getenv("PROJECT_LABEL")
	env.Setenv("NAMESPACE", ns)
	clean := func() {
		out, err := exec.Command("kubectl", "delete", "namespace", ns, "--ignore-not-found", "--wait=true", "--timeout=60s").CombinedOutput()
		if err != nil {
			env.T().Log("cleanup of namespace " + ns + ": " + err.Error() + ": " + string(out))
		}
	}
	if c, ok := env.T().(interface{ Cleanup(func()) }); ok {
		c.Cleanup(clean)
	} else {
		env.Defer(clean)
	}
	return nil
}

// cmdK8sLoad implements `k8sload IMAGE...`: copies images of the engine
// into the rig's node (its containerd), once per image and test run.
func cmdK8sLoad(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: k8sload IMAGE...")
	}
	ts.Check(k8sLoad(args...))
}

var k8sLoaded sync.Map // image -> *k8sLoadOnce

type k8sLoadOnce struct {
	once sync.Once
	err  error
}

// k8sLoad runs scripts/k8s-rig/rig.sh load-image for the images not yet
// loaded by this test binary.
func k8sLoad(images ...string) error {
	rig, err := filepath.Abs("../scripts/k8s-rig/rig.sh")
	if err != nil {
		return err
	}
	for _, img := range images {
		v, _ := k8sLoaded.LoadOrStore(img, &k8sLoadOnce{})
		l := v.(*k8sLoadOnce)
		l.once.Do(func() {
			out, err := exec.Command(rig, "load-image", os.Getenv("DEVSTACK_K8S_RIG"), img).CombinedOutput()
			if err != nil {
				l.err = fmt.Errorf("k8sload %s: %v: %s", img, err, strings.TrimSpace(string(out)))
			}
		})
		if l.err != nil {
			return l.err
		}
	}
	return nil
}
