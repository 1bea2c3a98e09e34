package watch

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// syncBackKey is the develop.watch rule key that lists what comes back.
const syncBackKey = "x-sync-back"

// syncBackGlobs reads a rule's x-sync-back: a list of globs relative to
// its target, for a sync action only; none may be absolute or climb out
// with "..".
func syncBackGlobs(raw any, action types.WatchAction) ([]string, error) {
	if raw == nil {
		return nil, nil
	}
	if !strings.HasPrefix(string(action), "sync") {
		return nil, fmt.Errorf("%s needs a sync action, not %s", syncBackKey, action)
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, fmt.Errorf("%s must be a list of globs (paths relative to the target), not %T", syncBackKey, raw)
	}
	var out []string
	for _, v := range list {
		g, ok := v.(string)
		if !ok || g == "" {
			return nil, fmt.Errorf("%s: %v is not a glob", syncBackKey, v)
		}
		if err := checkBackGlob(g); err != nil {
			return nil, fmt.Errorf("%s: %q: %v", syncBackKey, g, err)
		}
		out = append(out, strings.Trim(g, "/"))
	}
	return out, nil
}

func checkBackGlob(g string) error {
	if path.IsAbs(g) {
		return errors.New("absolute; write it relative to the rule's target")
	}
	for _, part := range strings.Split(g, "/") {
		if part == ".." {
			return errors.New(`".." leaves the rule's target`)
		}
		if part == "**" {
			continue
		}
		if _, err := path.Match(part, ""); err != nil {
			return err
		}
	}
	return nil
}
