package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// gcPercent reads GOGC's current value without changing it.
func gcPercent() int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64())
}

func TestDelayFirstCollection(t *testing.T) {
	if _, set := os.LookupEnv("GOGC"); set {
		t.Skip("GOGC is set: delayFirstCollection leaves it alone")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	delayFirstCollection()
	if got := gcPercent(); got != 200 {
		t.Fatalf("before the first collection GOGC is %d, want 200", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for gcPercent() != 100 {
		if time.Now().After(deadline) {
			t.Fatalf("after a collection GOGC is still %d, want 100 back", gcPercent())
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}
