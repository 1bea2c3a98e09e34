package watchd

import (
	"context"
	"time"
)

// UntilGone returns once the project has had no containers for grace:
// count says how many it has, checked every every. A count that fails
// (the engine away) says nothing either way. It returns false when ctx
// ends first.
func UntilGone(ctx context.Context, count func(context.Context) (int, error), every, grace time.Duration, now func() time.Time) bool {
	t := time.NewTicker(every)
	defer t.Stop()
	var emptySince time.Time
	for {
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
		}
		n, err := count(ctx)
		switch {
		case err != nil:
			continue
		case n > 0:
			emptySince = time.Time{}
		case emptySince.IsZero():
			emptySince = now()
		}
		if !emptySince.IsZero() && now().Sub(emptySince) >= grace {
			return true
		}
	}
}
