package watch

import (
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/watch/receiver"
)

func TestPlanCatchUp(t *testing.T) {
	const sec = int64(1e9)
	f := func(rel string, size, mtime int64) receiver.Stat {
		return receiver.Stat{Rel: rel, Mode: 0o644, Size: size, MTime: mtime}
	}
	d := func(rel string) receiver.Stat { return receiver.Stat{Rel: rel, Mode: fs.ModeDir | 0o755} }
	l := func(rel, to string) receiver.Stat {
		return receiver.Stat{Rel: rel, Mode: fs.ModeSymlink | 0o777, Link: to}
	}
	noIgnore := func(string, bool) bool { return false }
	ignoreCache := func(rel string, _ bool) bool { return rel == "cache" || strings.HasPrefix(rel, "cache/") }
	for _, tc := range []struct {
		name      string
		host, ctr []receiver.Stat
		ignored   func(string, bool) bool
		back      backGlobs
		want      catchUp
	}{
		{name: "the same", host: []receiver.Stat{d("d"), f("d/a", 3, 10*sec), l("l", "d/a")},
			ctr: []receiver.Stat{d("d"), f("d/a", 3, 10*sec), l("l", "d/a")}},
		{name: "missing in the container", host: []receiver.Stat{d("new"), f("new/a", 1, 0), f("b", 1, 0)},
			want: catchUp{Copy: []string{"b", "new", "new/a"}}},
		{name: "size, mode, type, link differ", host: []receiver.Stat{f("size", 2, 0), {Rel: "mode", Mode: 0o755}, f("was-dir", 1, 0), l("l", "x")},
			ctr:  []receiver.Stat{f("size", 3, 0), f("mode", 0, 0), d("was-dir"), l("l", "y")},
			want: catchUp{Copy: []string{"l", "mode", "size", "was-dir"}}},
		{name: "same size, another second: hash", host: []receiver.Stat{f("a", 5, 10*sec)}, ctr: []receiver.Stat{f("a", 5, 11*sec)},
			want: catchUp{Hash: []string{"a"}}},
		{name: "same size, same second, rewritten after the sync: hash", host: []receiver.Stat{f("a", 5, 10*sec+700)}, ctr: []receiver.Stat{f("a", 5, 10*sec+300)},
			want: catchUp{Hash: []string{"a"}}},
		{name: "container only: deleted, nested once", ctr: []receiver.Stat{d("old"), f("old/x", 1, 0), f("old/y", 1, 0), f("z", 1, 0)},
			want: catchUp{Delete: []string{"old", "z"}}},
		{name: "ignored ones stay", ctr: []receiver.Stat{d("cache"), f("cache/x", 1, 0), f("cachet", 1, 0)}, ignored: ignoreCache,
			want: catchUp{Delete: []string{"cachet"}}},
		{name: "x-sync-back: brought back, not deleted; differing is a conflict",
			host: []receiver.Stat{d("gen"), f("gen/both", 4, 0), f("gen/same", 4, 7*sec)},
			ctr:  []receiver.Stat{d("gen"), f("gen/both", 9, 0), f("gen/new", 1, 0), f("gen/same", 4, 8*sec), d("gen/sub"), f("gen/sub/n", 1, 0), d("src"), f("src/made", 1, 0)},
			back: backGlobs{"gen"},
			want: catchUp{Copy: []string{"gen/both"}, Hash: []string{"gen/same"}, Delete: []string{"src"}, Back: []string{"gen/new", "gen/sub/n"}, Conflict: []string{"gen/both"}}},
		{name: "a directory a glob reaches below is kept", ctr: []receiver.Stat{d("a"), d("a/gen"), f("a/gen/x.go", 1, 0), f("a/other", 1, 0)},
			back: backGlobs{"**/gen/*.go"},
			want: catchUp{Delete: []string{"a/other"}, Back: []string{"a/gen/x.go"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ig := tc.ignored
			if ig == nil {
				ig = noIgnore
			}
			got := planCatchUp(tc.host, tc.ctr, ig, tc.back)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestSyncBackGlobs(t *testing.T) {
	for _, tc := range []struct {
		raw    any
		action string
		want   []string
		err    string
	}{
		{raw: nil, action: "sync"},
		{raw: []any{"gen/", "**/*.lock"}, action: "sync+restart", want: []string{"gen", "**/*.lock"}},
		{raw: []any{"gen"}, action: "rebuild", err: "needs a sync action"},
		{raw: "gen", action: "sync", err: "must be a list"},
		{raw: []any{"/etc"}, action: "sync", err: "absolute"},
		{raw: []any{"a/../../x"}, action: "sync", err: `".."`},
		{raw: []any{"a/["}, action: "sync", err: "syntax"},
		{raw: []any{3}, action: "sync", err: "not a glob"},
	} {
		got, err := syncBackGlobs(tc.raw, types.WatchAction(tc.action))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%v: error %v, want %q", tc.raw, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%v: %q %v, want %q", tc.raw, got, err, tc.want)
		}
	}
}
