package watch

import (
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
)

func TestEventlessFSName(t *testing.T) {
	for _, c := range []struct {
		magic int64
		want  string
	}{
		{0x01021997, "9p"}, {0x6969, "NFS"}, {0xFF534D42, "CIFS"}, {0xFE534D42, "SMB2"},
		{0x65735546, "FUSE"}, {0x786f4256, "vboxsf"},
		{0xEF53, ""},     // ext4
		{0x9123683E, ""}, // btrfs
		{0x58465342, ""}, // xfs
		{0x01021994, ""}, // tmpfs
		{0x794c7630, ""}, // overlayfs
		{0x6a656a63, ""}, // virtiofs: events arrive for this machine's own writes
	} {
		if got := eventlessFSName(c.magic); got != c.want {
			t.Errorf("%#x: got %q, want %q", c.magic, got, c.want)
		}
	}
}

func TestEventlessFSOfATempDir(t *testing.T) {
	if got := eventlessFS(t.TempDir()); got != "" {
		t.Skipf("the temp directory is on %s here", got)
	}
	if got := eventlessFS("/no/such/path"); got != "" {
		t.Errorf("a missing path: got %q", got)
	}
}

func TestPollFromEnv(t *testing.T) {
	for _, c := range []struct {
		v    string
		want time.Duration
		err  string
	}{
		{"", 0, ""}, {"1", DefaultPoll, ""}, {"true", DefaultPoll, ""}, {"250ms", 250 * time.Millisecond, ""},
		{"2s", 2 * time.Second, ""}, {"0", -1, ""}, {"off", -1, ""},
		{"5ms", 0, "at least 10ms"}, {"often", 0, "DEVSTACK_WATCH_POLL=often"},
	} {
		t.Setenv(PollEnv, c.v)
		got, err := PollFromEnv()
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: want error with %q, got %v %v", c.v, c.err, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: got %v %v, want %v", c.v, got, err, c.want)
		}
	}
}

func TestProjectPoll(t *testing.T) {
	for _, c := range []struct {
		ext  any
		want time.Duration
		err  string
	}{
		{nil, 0, ""},
		{map[string]any{"poll": "1s"}, time.Second, ""},
		{map[string]any{"poll": true}, DefaultPoll, ""},
		{map[string]any{"poll": false}, 0, ""},
		{map[string]any{}, 0, ""},
		{map[string]any{"poll": "soon"}, 0, "x-devstack-watch.poll: soon"},
		{[]any{"poll"}, 0, "want a mapping"},
	} {
		p := &types.Project{}
		if c.ext != nil {
			p.Extensions = types.Extensions{"x-devstack-watch": c.ext}
		}
		got, err := projectPoll(p)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%v: want error with %q, got %v", c.ext, c.err, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%v: got %v %v, want %v", c.ext, got, err, c.want)
		}
	}
}
