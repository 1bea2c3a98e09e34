package tui

import (
	"sort"
	"strings"

	"github.com/devstack/devstack/internal/termsafe"
)

// logPane holds every service's lines (a ring each, plus a merged ring) and
// what the pane shows of them: scope, filter, scroll position and search.
type logPane struct {
	size  int              // ring capacity per service
	all   *Ring            // every service, in arrival order
	bySvc map[string]*Ring // per service
	scope string           // "": all services
	// filter hides lines not containing it (lower-cased); matches holds the
	// absolute positions of the lines it keeps in the scope's ring.
	filter  string
	matches []uint64
	offset  int // lines between the last one shown and the newest (0: follow)
	search  string
	current uint64 // absolute position (scope's ring) of the current search match
	hasCur  bool
	wrap    bool
	stamps  bool
	visits  int // lines the last render read: the pane's height at most, whatever is buffered
}

func newLogPane(size int) *logPane {
	return &logPane{size: size, all: NewRing(size), bySvc: map[string]*Ring{}}
}

func (p *logPane) ring() *Ring {
	if p.scope == "" {
		return p.all
	}
	if r := p.bySvc[p.scope]; r != nil {
		return r
	}
	return NewRing(1)
}

// add stores lines; a scrolled-back view stays on the lines it shows.
func (p *logPane) add(lines []Line) {
	shown := 0
	for _, l := range lines {
		r := p.bySvc[l.Service]
		if r == nil {
			r = NewRing(p.size)
			p.bySvc[l.Service] = r
			p.all.Resize(p.size * len(p.bySvc))
		}
		r.Push(l)
		p.all.Push(l)
		if p.scope != "" && p.scope != l.Service {
			continue
		}
		if p.filter == "" || strings.Contains(l.Plain, p.filter) {
			shown++
			if p.filter != "" {
				p.matches = append(p.matches, p.ring().Total()-1)
			}
		}
	}
	p.trimMatches()
	if p.offset > 0 {
		p.offset += shown
	}
	p.clamp()
}

func (p *logPane) trimMatches() {
	first := p.ring().First()
	i := 0
	for i < len(p.matches) && p.matches[i] < first {
		i++
	}
	if i > 0 {
		p.matches = append(p.matches[:0], p.matches[i:]...)
	}
}

// count is the number of lines in the view (scope and filter applied).
func (p *logPane) count() int {
	if p.filter != "" {
		return len(p.matches)
	}
	return p.ring().Len()
}

// at returns the view's i-th line, 0 being the oldest.
func (p *logPane) at(i int) Line {
	l, _ := p.ring().Abs(p.pos(i))
	return l
}

// pos is the absolute position in the scope's ring of the view's i-th line.
func (p *logPane) pos(i int) uint64 {
	if p.filter != "" {
		return p.matches[i]
	}
	return p.ring().First() + uint64(i)
}

// index is the view index of absolute position pos (the next one after it when not in the view).
func (p *logPane) index(pos uint64) int {
	if p.filter != "" {
		return sort.Search(len(p.matches), func(i int) bool { return p.matches[i] >= pos })
	}
	return int(pos) - int(p.ring().First())
}

func (p *logPane) clamp() {
	p.offset = max(0, min(p.offset, p.count()-1))
	if p.hasCur && p.current < p.ring().First() {
		p.hasCur = false
	}
}

// setScope shows one service's lines ("" for all) and follows them.
func (p *logPane) setScope(service string) {
	p.scope = service
	p.offset, p.hasCur = 0, false
	p.rebuild()
}

// setFilter keeps only lines containing f (case-insensitive for ASCII).
func (p *logPane) setFilter(f string) {
	p.filter = termsafe.Lower(f)
	p.offset, p.hasCur = 0, false
	p.rebuild()
}

// rebuild rescans the scope's ring for the filter: on a user's action, never per frame.
func (p *logPane) rebuild() {
	p.matches = p.matches[:0]
	if p.filter == "" {
		return
	}
	r := p.ring()
	for i := 0; i < r.Len(); i++ {
		if strings.Contains(r.At(i).Plain, p.filter) {
			p.matches = append(p.matches, r.First()+uint64(i))
		}
	}
}

// scroll moves the view delta lines back (negative: forward), no further
// back than a full pane of height h showing the oldest lines.
func (p *logPane) scroll(delta, h int) {
	p.offset = max(0, min(p.offset+delta, p.count()-h))
	p.clamp()
}

func (p *logPane) follow() { p.offset = 0 }

// find moves to the next search match older (dir -1) or newer (dir +1)
// than the current one; it reports whether there was one.
func (p *logPane) find(dir int, height int) bool {
	if p.search == "" || p.count() == 0 {
		return false
	}
	start := p.count() - p.offset // just below the bottom line: older finds it first
	if p.hasCur {
		start = p.index(p.current)
	}
	for i := start + dir; i >= 0 && i < p.count(); i += dir {
		if strings.Contains(p.at(i).Plain, p.search) {
			p.current, p.hasCur = p.pos(i), true
			p.offset = max(0, p.count()-1-i-height/2)
			p.clamp()
			return true
		}
	}
	return false
}
