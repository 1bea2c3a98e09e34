package watch

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/presets"
)

// DefaultPoll is the poll interval of --poll alone and of polling that
// watch turns on by itself.
const DefaultPoll = 500 * time.Millisecond

// PollEnv turns polling on for every watch: an interval ("1s"), "1" or
// "true" for DefaultPoll, "0" or "false" for never (not even where watch
// would poll by itself).
const PollEnv = "DEVSTACK_WATCH_POLL"

// PollFromEnv reads PollEnv: 0 when unset, < 0 for never.
func PollFromEnv() (time.Duration, error) {
	v, ok := os.LookupEnv(PollEnv)
	if !ok || v == "" {
		return 0, nil
	}
	d, err := parsePoll(v)
	if err != nil {
		return 0, fmt.Errorf("%s=%s: %w", PollEnv, v, err)
	}
	if d == 0 {
		return -1, nil
	}
	return d, nil
}

// parsePoll reads an interval, or a switch: on is DefaultPoll, off is 0.
func parsePoll(v string) (time.Duration, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "on", "yes":
		return DefaultPoll, nil
	case "0", "false", "off", "no":
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 10*time.Millisecond {
		return 0, fmt.Errorf("want an interval of at least 10ms (500ms, 2s), true or false")
	}
	return d, nil
}

// projectPoll reads the project's top-level x-devstack-watch: {poll:
// INTERVAL} (or true): 0 when absent or off.
func projectPoll(p *types.Project) (time.Duration, error) {
	v, ok := p.Extensions[presets.WatchExtension]
	if !ok {
		return 0, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return 0, fmt.Errorf("%s at the top of the compose file: want a mapping such as {poll: 500ms}", presets.WatchExtension)
	}
	raw, ok := m["poll"]
	if !ok {
		return 0, nil
	}
	d, err := parsePoll(fmt.Sprint(raw))
	if err != nil {
		return 0, fmt.Errorf("%s.poll: %v: %w", presets.WatchExtension, raw, err)
	}
	return d, nil
}
