package buildkit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"testing"
	"time"

	"github.com/devstack/devstack/internal/progress"
)

// The test binary doubles as a fake devstack-buildkit: with
// FAKE_BUILDKIT_HELPER set it reads a request and answers as that mode says.
func TestMain(m *testing.M) {
	if mode := os.Getenv("FAKE_BUILDKIT_HELPER"); mode != "" {
		os.Exit(fakeHelper(mode))
	}
	os.Exit(m.Run())
}

func fakeHelper(mode string) int {
	var req Request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		return 2
	}
	enc := json.NewEncoder(os.Stdout)
	switch mode {
	case "ok":
		for _, d := range []string{"[1/2] FROM " + req.Image, "[2/2] RUN echo " + req.Service} {
			_ = enc.Encode(Reply{Event: &progress.Event{Kind: progress.KindBuild, Name: req.Image, Status: progress.BuildStep, Detail: d}})
		}
	case "secret":
		_ = enc.Encode(ErrorReply(fmt.Errorf("%w: service %s: build secret token: file /nope: no such file", ErrSecret, req.Service)))
		return 1
	case "crash":
		fmt.Fprintln(os.Stderr, "panic: something broke")
		return 3
	case "hang":
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt)
		_ = enc.Encode(Reply{Event: &progress.Event{Kind: progress.KindBuild, Name: req.Image, Status: progress.BuildStep, Detail: "waiting"}})
		select {
		case <-sig:
			return 130
		case <-time.After(30 * time.Second):
			return 0
		}
	}
	return 0
}

type events []progress.Event

func (e *events) Event(ev progress.Event) { *e = append(*e, ev) }

func TestRunHelper(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	req := Request{Version: WireVersion, Service: "web", Image: "p-web"}
	for _, tc := range []struct {
		mode       string
		events     int
		want       string // in the error; "" = success
		sentinel   error
		cancelWait time.Duration
	}{
		{mode: "ok", events: 2},
		{mode: "secret", want: "service web: build secret token: file /nope", sentinel: ErrSecret},
		{mode: "crash", want: "panic: something broke"},
		{mode: "hang", events: 1, want: "context canceled", sentinel: context.Canceled, cancelWait: 300 * time.Millisecond},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			t.Setenv("FAKE_BUILDKIT_HELPER", tc.mode)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.cancelWait > 0 {
				time.AfterFunc(tc.cancelWait, cancel)
			}
			var got events
			start := time.Now()
			err := runHelper(ctx, self, req, &got)
			if len(got) != tc.events {
				t.Errorf("relayed %d events, want %d: %v", len(got), tc.events, got)
			}
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			case tc.sentinel != nil && !errors.Is(err, tc.sentinel):
				t.Errorf("error %v does not wrap %v", err, tc.sentinel)
			}
			if tc.cancelWait > 0 && time.Since(start) > 5*time.Second {
				t.Errorf("cancelled helper took %v to stop", time.Since(start))
			}
		})
	}
}

func TestErrorReplyRoundTrip(t *testing.T) {
	for _, sentinel := range []error{ErrUnsupported, ErrSecret, ErrSSH, ErrStepFailed, ErrHelperVersion} {
		data, err := json.Marshal(ErrorReply(fmt.Errorf("%w: service web", sentinel)))
		if err != nil {
			t.Fatal(err)
		}
		var r Reply
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		if got := r.Err(); !errors.Is(got, sentinel) || got.Error() != sentinel.Error()+": service web" {
			t.Errorf("%v came back as %v", sentinel, got)
		}
	}
}
