package cli

import (
	"bytes"
	"strings"
	"testing"
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
	var out, errOut bytes.Buffer
	if code := Main([]string{"deploy", "rm", "-v"}, strings.NewReader(""), &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "--kubernetes") {
		t.Errorf("deploy rm -v on a swarm: exit %d, %q", code, errOut.String())
	}
}
