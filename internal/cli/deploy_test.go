package cli

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func TestDeployFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := Main([]string{"deploy", "--help"}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("deploy --help: exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"--timeout duration", "--resolve-image string", `"always", "changed" (only changed images) or "never"`, "devstack deploy rm removes the stack"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("deploy --help does not say %q", want)
		}
	}
	for _, args := range [][]string{{"deploy", "--resolve-image", "sometimes"}, {"deploy", "--timeout", "-1s"}} {
		out.Reset()
		errOut.Reset()
		if code := Main(args, strings.NewReader(""), &out, &errOut); code != 1 || !strings.Contains(errOut.String(), strings.TrimPrefix(args[1], "--")) {
			t.Errorf("%v: exit %d, %q", args, code, errOut.String())
		}
	}
}

func TestDeployKubernetesFlags(t *testing.T) {
	for _, args := range [][]string{{"deploy", "--namespace", "x"}, {"deploy", "ps", "--context", "x"}, {"deploy", "rm", "-n", "x"}} {
		var out, errOut bytes.Buffer
		if code := Main(args, strings.NewReader(""), &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "add --kubernetes") {
			t.Errorf("%v: exit %d, %q", args, code, errOut.String())
		}
	}
	for _, args := range [][]string{{"deploy", "ls", "--kube-context", "x"}, {"--context", "x", "deploy", "ps", "--kubernetes"}} {
		var out, errOut bytes.Buffer
		if code := Main(args, strings.NewReader(""), &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "kube") {
			t.Errorf("%v: exit %d, %q", args, code, errOut.String())
		}
	}
	var out, errOut bytes.Buffer
	if code := Main([]string{"deploy", "rm", "-v"}, strings.NewReader(""), &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "--kubernetes") {
		t.Errorf("deploy rm -v on a swarm: exit %d, %q", code, errOut.String())
	}
}

// --kube-context names the kubeconfig context anywhere after the command
// and implies --kubernetes; --context there is the same with --kubernetes;
// the docker --context before the command is refused where nothing uses
// an engine on Kubernetes, naming --kube-context.
func TestKubeTargetContext(t *testing.T) {
	for _, tc := range []struct {
		name         string
		docker       string // --context before the command
		args         []string
		usesEngine   bool
		wantCtx, err string
	}{
		{name: "kube-context implies kubernetes", args: []string{"--kube-context", "a"}, wantCtx: "a"},
		{name: "context after the command", args: []string{"--kubernetes", "--context", "a"}, wantCtx: "a"},
		{name: "both, the same", args: []string{"--kube-context", "a", "--context", "a"}, wantCtx: "a"},
		{name: "both, different", args: []string{"--kube-context", "a", "--context", "b"}, err: "--kube-context a and --context b name two Kubernetes contexts"},
		{name: "context without kubernetes", args: []string{"--context", "a"}, err: "add --kubernetes, or name the context with --kube-context"},
		{name: "docker context where no engine is used", docker: "d", args: []string{"--kubernetes"}, err: "--context d before the command names a docker context, which this command does not use on Kubernetes: name the Kubernetes context with --kube-context d"},
		{name: "docker context for deploy's builds", docker: "d", args: []string{"--kubernetes", "--kube-context", "k"}, usesEngine: true, wantCtx: "k"},
		{name: "docker context on a swarm", docker: "d", args: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := &cobra.Command{Use: "devstack"}
			root.Flags().String("context", "", "")
			sub := &cobra.Command{Use: "deploy"}
			root.AddCommand(sub)
			var k kubeTarget
			k.add(sub)
			if tc.docker != "" {
				if err := root.Flags().Set("context", tc.docker); err != nil {
					t.Fatal(err)
				}
			}
			if err := sub.ParseFlags(tc.args); err != nil {
				t.Fatal(err)
			}
			err := k.checkFor(tc.usesEngine)
			switch {
			case tc.err != "":
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, want %q", err, tc.err)
				}
			case err != nil:
				t.Fatal(err)
			case k.Context != tc.wantCtx || k.on != (tc.wantCtx != "" || slices.Contains(tc.args, "--kubernetes")):
				t.Fatalf("context %q on %v, want %q", k.Context, k.on, tc.wantCtx)
			}
		})
	}
}
