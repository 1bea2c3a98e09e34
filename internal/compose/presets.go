package compose

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/presets"
)

// ErrUnknownPreset means a name is neither a service nor a preset.
var ErrUnknownPreset = errors.New("unknown service or preset")

// presetFiles returns the fragments of the presets, and the wiring
// fragments between any two of them, as in-memory compose files.
func presetFiles(names []string) ([]types.ConfigFile, error) {
	var base, wiring []types.ConfigFile
	for _, n := range names {
		f, ok := presets.Get(n)
		if !ok {
			return nil, fmt.Errorf("%w: %q", ErrUnknownPreset, n)
		}
		base = append(base, types.ConfigFile{Filename: "preset/" + n + "/compose.yaml", Content: f.Compose})
		for _, other := range names {
			if w, ok := f.With[other]; ok {
				wiring = append(wiring, types.ConfigFile{Filename: "preset/" + n + "/with-" + other + ".yaml", Content: w})
			}
		}
	}
	return append(base, wiring...), nil
}

// Resolved is a project with the command line's names resolved.
type Resolved struct {
	Full     *types.Project // every service (for orphan detection)
	Selected *types.Project // the named services and their dependencies
	Added    []string       // presets added from the catalogue
}

// Resolve loads the project and resolves the names on the command line:
// services of the compose file select themselves (the file always wins);
// other names that are presets are added from the catalogue. Without a
// compose file every name must be a preset.
func Resolve(ctx context.Context, o Options, names []string) (Resolved, error) {
	full, err := Load(ctx, o)
	noFile := errors.Is(err, ErrNoConfig)
	if err != nil && !(noFile && len(names) > 0) {
		return Resolved{}, err
	}
	var added, unknown []string
	for _, n := range names {
		switch {
		case full != nil && full.Services[n].Name != "":
		case slices.Contains(presets.Names(), n):
			added = append(added, n)
		default:
			unknown = append(unknown, n)
		}
	}
	if len(unknown) > 0 {
		return Resolved{}, unknownError(full, unknown)
	}
	r := Resolved{Full: full, Added: added}
	if len(added) > 0 {
		o.Presets = append(append([]string{}, o.Presets...), added...)
		if r.Full, err = Load(ctx, o); err != nil {
			return Resolved{}, err
		}
	}
	r.Selected, err = Select(r.Full, names)
	return r, err
}

func unknownError(p *types.Project, unknown []string) error {
	var known []string
	if p != nil {
		known = p.ServiceNames()
	}
	candidates := append(append([]string{}, known...), presets.Names()...)
	var parts []string
	for _, u := range unknown {
		part := fmt.Sprintf("%q", u)
		if close := closeMatches(u, candidates); len(close) > 0 {
			part += " (did you mean " + strings.Join(close, " or ") + "?)"
		}
		parts = append(parts, part)
	}
	msg := fmt.Sprintf("%s: %s", ErrUnknownPreset, strings.Join(parts, ", "))
	if len(known) > 0 {
		sort.Strings(known)
		msg += "; the project's services: " + strings.Join(known, ", ")
	}
	return fmt.Errorf("%w%s (`devstack presets` lists the catalogue)", ErrUnknownPreset, strings.TrimPrefix(msg, ErrUnknownPreset.Error()))
}

// closeMatches returns candidates within edit distance 2, or that start with s.
func closeMatches(s string, candidates []string) []string {
	var out []string
	for _, c := range candidates {
		if c != s && (levenshtein(s, c) <= 2 || (len(s) >= 3 && strings.HasPrefix(c, s))) && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
