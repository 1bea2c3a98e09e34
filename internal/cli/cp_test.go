package cli

import "testing"

func TestSplitCpArg(t *testing.T) {
	for arg, want := range map[string][2]string{
		"web:/etc/hosts": {"web", "/etc/hosts"},
		"web:rel":        {"web", "rel"},
		"/abs/path":      {"", "/abs/path"},
		"./a:b":          {"", "./a:b"},
		"-":              {"", "-"},
		"file.txt":       {"", "file.txt"},
		"dir/x:y":        {"", "dir/x:y"},
	} {
		svc, path := splitCpArg(arg)
		if svc != want[0] || path != want[1] {
			t.Errorf("%q: got %q %q, want %q %q", arg, svc, path, want[0], want[1])
		}
	}
}
