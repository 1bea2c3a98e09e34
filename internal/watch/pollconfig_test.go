package watch

import (
	"errors"
	"fmt"
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

// newSource polls, with one line saying why, where file events do not
// arrive: a watched path on such a file system (not a bind-mounted sync,
// which needs no events), or file events refused at the system's limit;
// DEVSTACK_WATCH_POLL=0 keeps that limit an error.
func TestNewSourcePollsWhereEventsFail(t *testing.T) {
	limit := fmt.Errorf("%w: too many inotify instances; raise the limit with `sudo sysctl fs.inotify.max_user_instances=1024`", ErrInotifyLimit)
	for _, c := range []struct {
		name     string
		fs       string // the file system of every path
		bind     bool   // the sync's path is bind-mounted
		poll     time.Duration
		openErr  error
		wantPoll time.Duration // 0: the Watcher
		line     string        // the one line said, "" for none
		err      string
	}{
		{name: "events arrive"},
		{name: "9p", fs: "9p", wantPoll: DefaultPoll,
			line: "watch: polling the watched files every 500ms: site is on a 9p file system, where file events do not arrive (--poll=INTERVAL sets the interval)"},
		{name: "NFS", fs: "NFS", wantPoll: DefaultPoll, line: "site is on a NFS file system"},
		{name: "FUSE, bind-mounted", fs: "FUSE", bind: true},
		{name: "--poll wins", fs: "9p", poll: 300 * time.Millisecond, wantPoll: 300 * time.Millisecond,
			line: "watch: polling the watched files every 300ms: --poll or DEVSTACK_WATCH_POLL asks for it"},
		{name: "instance limit", openErr: limit, wantPoll: DefaultPoll,
			line: "watch: polling the watched files every 500ms: inotify limit reached: too many inotify instances; raise the limit with `sudo sysctl fs.inotify.max_user_instances=1024`"},
		{name: "instance limit, never poll", openErr: limit, poll: -1, err: "cannot start watching (DEVSTACK_WATCH_POLL=0 forbids polling): inotify limit reached"},
		{name: "never poll on 9p", fs: "9p", poll: -1},
		{name: "other error", openErr: errors.New("cannot start watching: boom"), err: "boom"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fsOf = func(string) string { return c.fs }
			openWatcher = func() (*Watcher, error) {
				if c.openErr != nil {
					return nil, c.openErr
				}
				return newWatcher(&fakeNotifier{limit: 10}, nil, nil), nil
			}
			t.Cleanup(func() { fsOf, openWatcher = eventlessFS, NewWatcher })
			out := &events{}
			r := &runner{p: &types.Project{WorkingDir: "/p"}, o: Options{Poll: c.poll}, out: out,
				triggers: []Trigger{{Service: "web", Path: "/p/site", Action: types.WatchActionSync, Target: "/www", BindMounted: c.bind}}}
			src, err := r.newSource()
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("got %v, want an error with %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p, polls := src.(*Poller)
			switch {
			case c.wantPoll == 0 && polls:
				t.Errorf("polls, want file events")
			case c.wantPoll != 0 && (!polls || p.Every != c.wantPoll || r.polling != c.wantPoll):
				t.Errorf("source %T (runner polling %v), want a Poller every %v", src, r.polling, c.wantPoll)
			}
			if c.line == "" {
				if len(out.lines) != 0 {
					t.Errorf("said %q, want nothing", out.lines)
				}
				return
			}
			if len(out.lines) != 1 || !strings.Contains(out.lines[0], c.line) {
				t.Errorf("said %q, want one line with %q", out.lines, c.line)
			}
		})
	}
}
