package watch

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/termsafe"
)

// Options configure Run.
type Options struct {
	Quiet     time.Duration // debounce quiet period (default DefaultQuiet)
	LoopLimit int           // reloads of one service per minute before it is paused (default DefaultLoopLimit)
	// Services limits watching to these services (all when empty).
	Services []string
	// Images carries registry credentials and builders for rebuilds.
	Images apply.ImageOptions
	// Poll > 0 polls the trees at that interval instead of following file
	// events; < 0 never polls; 0 lets the project and the file systems
	// decide (see pollChoice).
	Poll time.Duration
}

// Report is one reload as the user sees it.
type Report struct {
	At      time.Time
	Service string
	Action  string   // sync, rebuild, restart, sync+restart, sync+exec, ...
	Files   []string // relative to the project directory
	Deleted []string // the files a sync deleted in the containers (not in Files)
	Took    time.Duration
	Err     error
}

// Event is the reload as progress: {Reload web sync "2 files
// (index.html, css/site.css) in 14ms"}. Deletions are named as such:
// {Reload web delete "1 file (old.css) in 3ms"}, or "sync 1 file
// (index.html), delete 1 file (old.css) in 14ms".
func (r Report) Event() progress.Event {
	action, detail := r.Action, countFiles(r.Files)
	switch {
	case len(r.Deleted) > 0 && len(r.Files) == 0:
		action, detail = strings.Replace(action, "sync", "delete", 1), countFiles(r.Deleted)
	case len(r.Deleted) > 0:
		detail += ", delete " + countFiles(r.Deleted)
	}
	detail += " in " + roundDuration(r.Took).String()
	if r.Err != nil { // its text may hold a file's name: escaped like the names
		detail += ": failed: " + termsafe.Name(r.Err.Error())
	}
	return progress.Event{Kind: progress.KindReload, Name: r.Service, Status: action, Detail: detail}
}

// countFiles is "2 files (a, b)", naming the first three.
func countFiles(all []string) string {
	files, more := all, ""
	if len(files) > 3 {
		files, more = files[:3], fmt.Sprintf(", +%d more", len(all)-3)
	}
	noun := "files"
	if len(all) == 1 {
		noun = "file"
	}
	return fmt.Sprintf("%d %s (%s%s)", len(all), noun, strings.Join(termsafe.Names(files), ", "), more)
}

// String is the one line printed per reload:
// "watch: web sync 2 files (index.html, css/site.css) in 14ms".
func (r Report) String() string { return r.Event().String() }

func roundDuration(d time.Duration) time.Duration {
	if d < 10*time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(100 * time.Millisecond)
}

// Check resolves the project's triggers without watching anything, so bad
// input is refused before a stack is brought up.
func Check(p *types.Project) error {
	triggers, notes, err := Triggers(p)
	if err != nil {
		return err
	}
	if len(notes) > 0 {
		return nil // nothing may need watching, but there is something to say
	}
	return noTriggers(p, triggers)
}

// active reports whether any trigger needs watching.
func active(triggers []Trigger) bool {
	for i := range triggers {
		if !(triggers[i].Action == types.WatchActionSync && triggers[i].BindMounted) {
			return true
		}
	}
	return false
}

func noTriggers(p *types.Project, triggers []Trigger) error {
	if active(triggers) {
		return nil
	}
	names := p.ServiceNames()
	sort.Strings(names)
	return fmt.Errorf("%w: none of the services %s has develop.watch triggers (add `develop: watch: [{path: ./src, action: sync, target: /app}]` to a service)", ErrNoTriggers, strings.Join(names, ", "))
}

// say reports what watch has to say about itself: "watch: ...".
func say(out progress.Progress, format string, a ...any) {
	out.Event(progress.Event{Kind: progress.KindWatch, Detail: fmt.Sprintf(format, a...)})
}

// runner is one watch session.
type runner struct {
	api      dockerapi.API
	p        *types.Project
	o        Options
	out      progress.Progress
	triggers []Trigger
	clock    Clock
	known    *knownSets // what each trigger's containers have
	stamps   *stamps    // host files as last synced, either way
	backs    *followers // x-sync-back receivers
	guard    *loopGuard
	deb      *Debouncer
	boxes    *boxes
	polling  time.Duration // the poll interval; 0 when following file events

	qmu   sync.Mutex
	queue map[string]bool
	wake  chan struct{}
	redo  chan map[string][]string // containers (by service) to catch up again
}

// Run follows the project's develop.watch triggers until ctx is cancelled.
// Bad triggers are errors before anything is watched.
func Run(ctx context.Context, api dockerapi.API, p *types.Project, o Options, out progress.Progress) error {
	clock := RealClock{}
	triggers, notes, err := Triggers(p)
	if err != nil {
		return err
	}
	if len(o.Services) > 0 {
		triggers = slices.DeleteFunc(triggers, func(t Trigger) bool { return !slices.Contains(o.Services, t.Service) })
		notes = slices.DeleteFunc(notes, func(n string) bool {
			for _, s := range o.Services {
				if strings.HasPrefix(n, "service "+s+":") {
					return false
				}
			}
			return true
		})
	}
	for _, n := range notes {
		say(out, "%s", n)
	}
	if !active(triggers) {
		if len(notes) > 0 {
			say(out, "nothing else to watch")
			return nil
		}
		return noTriggers(p, triggers)
	}
	r := &runner{api: api, p: p, o: o, out: out, triggers: triggers, known: newKnownSets(), stamps: newStamps(), backs: newFollowers(),
		clock: clock, guard: newLoopGuard(clock, o.LoopLimit), queue: map[string]bool{}, wake: make(chan struct{}, 1), redo: make(chan map[string][]string)}
	running, err := r.checkRunning(ctx)
	if err != nil {
		return err
	}
	r.deb = NewDebouncer(clock, o.Quiet, DefaultMaxWait, r.enqueue)
	defer r.deb.Stop()
	r.boxes = newBoxes(api)
	defer r.boxes.closeAll()
	defer r.backs.stopAll()
	r.warmUp(ctx, running)

	w, err := r.newSource()
	if err != nil {
		return err
	}
	defer w.Close()
	w.SetHandlers(Handlers{Changed: r.changed, SkipDir: r.skipDir, Resync: func() { r.resync("") },
		Problem: func(msg string) { say(out, "%s", msg) }})
	if err := r.watchAll(w); err != nil {
		return err
	}
	stop := make(chan struct{})
	defer close(stop)
	go w.Run(stop)
	if err := r.initialSync(ctx, running); err != nil {
		return err
	}
	r.boxes.adoptWarm(ctx) // "watching" means saves go at full speed
	say(out, "watching %s (Ctrl-C to stop)", r.describe())
	defer r.watchingStates()()
	var away atomic.Bool
	go r.followEngine(ctx, &away)
	go r.followContainers(ctx, &away, running)
	for {
		select {
		case <-ctx.Done():
			return nil
		case ids := <-r.redo:
			r.catchUpAgain(ctx, ids)
		case <-r.wake:
			if !away.Load() { // else the batch waits in the queue for the engine
				r.handle(ctx, r.take())
			}
		}
	}
}

// checkRunning refuses to watch services that have no running container
// (every reload would fail) and returns each service's running containers,
// from one engine call.
func (r *runner) checkRunning(ctx context.Context) (map[string][]string, error) {
	cs, err := containers.Observe(ctx, r.api, r.p.Name)
	if err != nil {
		return nil, err
	}
	ids := map[string][]string{}
	for _, c := range cs {
		if c.Running() {
			ids[c.Service] = append(ids[c.Service], c.ID)
		}
	}
	for i := range r.triggers {
		t := &r.triggers[i]
		if len(ids[t.Service]) == 0 && !(t.Action == types.WatchActionSync && t.BindMounted) {
			return nil, noContainer(t.Service)
		}
	}
	return ids, nil
}

// watchAll watches every trigger's path and remembers what is there.
func (r *runner) watchAll(w Source) error {
	for i := range r.triggers {
		t := &r.triggers[i]
		if t.Action == types.WatchActionSync && t.BindMounted {
			continue
		}
		if t.IsFile {
			if err := w.AddDir(filepath.Dir(t.Path)); err != nil {
				return err
			}
			r.known.of(t).add(t.Path)
			continue
		}
		if err := w.AddTree(t.Path); err != nil {
			return err
		}
		r.known.of(t).add(walkTrigger(t)...)
	}
	return nil
}

// walkTrigger lists what the trigger's path holds that its rules let through.
func walkTrigger(t *Trigger) []string {
	if t.IsFile {
		return []string{t.Path}
	}
	var out []string
	_ = filepath.WalkDir(t.Path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if p != t.Path && t.Match.Ignored(p, d.IsDir()) {
			if d.IsDir() && t.Match.SkipDir(p) {
				return filepath.SkipDir
			}
			return nil
		}
		out = append(out, p)
		return nil
	})
	return out
}

func (r *runner) skipDir(dir string) bool {
	for i := range r.triggers {
		if r.triggers[i].Covers(dir) {
			return false
		}
	}
	return true
}

// changed passes on the paths some trigger cares about.
func (r *runner) changed(paths ...string) {
	keep := paths[:0:0]
	for _, p := range paths {
		for i := range r.triggers {
			if r.triggers[i].matches(p) {
				keep = append(keep, p)
				break
			}
		}
	}
	r.deb.Add(keep...)
}

// resync treats everything the triggers of service (all services when "")
// watch as changed: after lost events, and when a paused service resumes.
func (r *runner) resync(service string) {
	for i := range r.triggers {
		t := &r.triggers[i]
		if service != "" && t.Service != service {
			continue
		}
		r.changed(append(walkTrigger(t), r.known.of(t).under(t.Path)...)...)
	}
}

// enqueue collects flushed batches; batches that arrive while a reload
// runs are merged into the next one.
func (r *runner) enqueue(batch []string) {
	r.qmu.Lock()
	for _, p := range batch {
		r.queue[p] = true
	}
	r.qmu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *runner) take() []string {
	r.qmu.Lock()
	defer r.qmu.Unlock()
	out := make([]string, 0, len(r.queue))
	for p := range r.queue {
		out = append(out, p)
	}
	sort.Strings(out)
	r.queue = map[string]bool{}
	return out
}

func (r *runner) describe() string {
	var parts []string
	seen := map[string]bool{}
	for _, t := range r.triggers {
		if t.Action == types.WatchActionSync && t.BindMounted {
			continue
		}
		s := fmt.Sprintf("%s (%s %s)", t.Service, rel(r.p.WorkingDir, t.Path), t.Action)
		if !seen[s] {
			seen[s] = true
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// handle applies one batch, service by service; services that share an
// image are rebuilt once (PlanSteps).
func (r *runner) handle(ctx context.Context, batch []string) {
	var allowed []Reload
	for _, rl := range PlanBatch(r.triggers, r.relevant(batch)) {
		if r.allow(rl.Service) {
			allowed = append(allowed, rl)
		}
	}
	for _, st := range PlanSteps(allowed, buildKeys(r.p)) {
		r.runStep(ctx, st)
		if ctx.Err() != nil {
			return
		}
	}
}

// relevant drops paths that vanished without ever having been seen: an
// editor's temporary file renamed over the original, a file created and
// deleted within one batch. A batch of only those reloads nothing.
func (r *runner) relevant(batch []string) []string {
	keep := batch[:0]
	for _, p := range batch {
		if _, err := os.Lstat(p); err == nil {
			for i := range r.triggers {
				if t := &r.triggers[i]; t.matches(p) {
					r.known.of(t).add(p)
				}
			}
		} else if !r.known.has(p) {
			continue
		}
		if r.stamps.justWrote(p) {
			continue // written back from a container: it has it
		}
		keep = append(keep, p)
	}
	return keep
}
