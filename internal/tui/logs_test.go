package tui

import (
	"fmt"
	"testing"
)

func TestRingKeepsNewest(t *testing.T) {
	r := NewRing(3)
	for i := 0; i < 5; i++ {
		r.Push(Line{Text: fmt.Sprint(i)})
	}
	if r.Len() != 3 || r.Total() != 5 || r.First() != 2 {
		t.Fatalf("len %d total %d first %d", r.Len(), r.Total(), r.First())
	}
	for i, want := range []string{"2", "3", "4"} {
		if got := r.At(i).Text; got != want {
			t.Errorf("At(%d) = %s, want %s", i, got, want)
		}
	}
	if _, ok := r.Abs(1); ok {
		t.Error("evicted position 1 still readable")
	}
	if l, ok := r.Abs(4); !ok || l.Text != "4" {
		t.Errorf("Abs(4) = %v %v", l, ok)
	}
	r.Resize(2)
	if r.Len() != 2 || r.At(0).Text != "3" || r.At(1).Text != "4" {
		t.Errorf("after shrinking: %d lines, %q %q", r.Len(), r.At(0).Text, r.At(1).Text)
	}
	r.Resize(4)
	r.Push(Line{Text: "5"})
	r.Push(Line{Text: "6"})
	r.Push(Line{Text: "7"})
	if r.Len() != 4 || r.At(0).Text != "4" || r.At(3).Text != "7" {
		t.Errorf("after growing: %d lines, first %q last %q", r.Len(), r.At(0).Text, r.At(3).Text)
	}
}

// A chatty service does not push a quiet one's lines out of its own ring.
func TestPaneRingPerService(t *testing.T) {
	p := newLogPane(10)
	p.add([]Line{{Service: "quiet", Text: "hello"}})
	for i := 0; i < 1000; i++ {
		p.add([]Line{{Service: "chatty", Text: fmt.Sprint(i)}})
	}
	p.setScope("quiet")
	if p.count() != 1 || p.at(0).Text != "hello" {
		t.Fatalf("quiet service lost its line: %d lines", p.count())
	}
	p.setScope("chatty")
	if p.count() != 10 || p.at(9).Text != "999" || p.at(0).Text != "990" {
		t.Fatalf("chatty ring: %d lines, %q..%q", p.count(), p.at(0).Text, p.at(9).Text)
	}
	p.setScope("")
	if p.all.Cap() != 20 {
		t.Fatalf("merged ring holds %d, want 10 per service", p.all.Cap())
	}
}
