package compose

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/types"
)

// Validating a model against the compose schema is most of a cold load
// (compose-go compiles its JSON schema on first use: ~20 ms of a no-op
// `up`). The result depends only on the model, and the model only on the
// files' contents, the variables they interpolate and the working
// directory, so an input that validated before is remembered by its hash
// in the user's cache directory and loaded without validation next time.
// Inputs that pull in other files (include, extends) or carry the obsolete
// version key (its warning comes from validation) are always validated.

// validationKey hashes what the validated model depends on; ok is false
// when the input must always be validated.
func validationKey(files []types.ConfigFile, env types.Mapping, wd string, profiles []string) (key string, ok bool) {
	h := sha256.New()
	io.WriteString(h, "devstack validated v1\x00"+composeGoVersion()+"\x00"+wd+"\x00"+strings.Join(profiles, ",")+"\x00")
	for _, f := range files {
		if f.Content == nil || pullsFiles(f.Content) {
			return "", false
		}
		io.WriteString(h, f.Filename+"\x00")
		h.Write(f.Content)
		h.Write([]byte{0})
	}
	// A variable can only change the model when a file names it.
	names := make([]string, 0, len(env))
	for k := range env {
		for _, f := range files {
			if bytes.Contains(f.Content, []byte(k)) {
				names = append(names, k)
				break
			}
		}
	}
	slices.Sort(names)
	for _, k := range names {
		io.WriteString(h, k+"="+env[k]+"\x00")
	}
	return hex.EncodeToString(h.Sum(nil)), true
}

var (
	// fileKeys matches an include or extends key anywhere (block or flow
	// style); a false match only costs a validation.
	fileKeys   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(^|[\s{,])["']?(include|extends)["']?\s*:`) })
	versionKey = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^["']?version["']?\s*:`) })
)

// pullsFiles is true for content that may read other files or warn during
// validation.
func pullsFiles(content []byte) bool {
	return fileKeys().Match(content) || versionKey().Match(content)
}

// composeGoVersion is the compose-go this binary carries (its schema is
// part of what validated), read once.
var composeGoVersion = sync.OnceValue(func() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == "github.com/compose-spec/compose-go/v2" {
				return m.Version
			}
		}
	}
	return "unknown"
})

// validatedDir is where the remembered keys live; "" disables it
// (DEVSTACK_NO_CACHE set, or no cache directory).
func validatedDir() string {
	if os.Getenv("DEVSTACK_NO_CACHE") != "" {
		return ""
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "devstack", "validated")
}

func wasValidated(key string) bool {
	dir := validatedDir()
	if dir == "" {
		return false
	}
	_, err := os.Stat(filepath.Join(dir, key))
	return err == nil
}

// maxValidated bounds the directory: past it, the old keys are dropped.
const maxValidated = 256

// markValidated remembers a key; failures only cost the next load time.
func markValidated(key string) {
	dir := validatedDir()
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) >= maxValidated {
		for _, e := range entries {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
	if f, err := os.Create(filepath.Join(dir, key)); err == nil {
		f.Close()
	}
}
