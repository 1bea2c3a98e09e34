//go:build linux

// Command devstack-snapshot copies volumes to and from snapshots on the
// engine. devstack builds it static (standard library and
// klauspost/compress only), embeds it, and runs it in a helper container
// of an image it assembles itself (no pull): the store volume at one path,
// each volume at /v/KEY.
//
//	devstack-snapshot save DIR MANIFEST-JSON [MAX-BYTES]
//	                                           one KEY.tar.zst per volume, then manifest.json;
//	                                           nothing when the files hold more than MAX-BYTES
//	devstack-snapshot verify DIR [KEY...]      checks the archives' checksums
//	devstack-snapshot restore DIR [KEY...]     stage, then swap
//	devstack-snapshot stage DIR [KEY...]       unpacks each archive into /v/KEY/.devstack-restore,
//	                                           checking its checksum in the same read
//	devstack-snapshot swap DIR [KEY...]        replaces each volume's content by its stage
//	devstack-snapshot unstage DIR [KEY...]     removes the stages
//	devstack-snapshot ls DIR                   the manifests of DIR/*, as a JSON array
//	devstack-snapshot rm DIR...                removes snapshots
//	devstack-snapshot du KEY...                the bytes of file content of each volume /v/KEY, as JSON
//	devstack-snapshot adopt STAGE DIR          renames an imported snapshot (devstack copied its
//	                                           files into STAGE) to DIR once its files are the manifest's
//	devstack-snapshot discard STAGE            removes what an import that failed left in STAGE
//
// It prints its result as JSON on stdout and one line on stderr when it
// fails (exit status 1). SIGTERM or SIGINT stop it cleanly: nothing
// half-written is left.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/devstack/devstack/internal/snapshot/manifest"
)

// volumesDir holds each volume of the snapshot, mounted at volumesDir/KEY.
var volumesDir = "/v" // a variable for tests

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	out, err := run(ctx, os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "devstack-snapshot:", err)
		if errors.Is(err, errTooBig) {
			os.Exit(manifest.ExitTooBig)
		}
		os.Exit(1)
	}
	if out != nil {
		if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
			fmt.Fprintln(os.Stderr, "devstack-snapshot:", err)
			os.Exit(1)
		}
	}
}

func run(ctx context.Context, args []string) (any, error) {
	if len(args) < 2 {
		return nil, errors.New("usage: devstack-snapshot save|verify|restore|stage|swap|unstage|ls|rm|adopt|discard DIR ...")
	}
	verb, dir, rest := args[0], filepath.Clean(args[1]), args[2:]
	switch verb {
	case "save":
		if len(rest) != 1 && len(rest) != 2 {
			return nil, errors.New("usage: devstack-snapshot save DIR MANIFEST-JSON [MAX-BYTES]")
		}
		var m manifest.Manifest
		if err := json.Unmarshal([]byte(rest[0]), &m); err != nil {
			return nil, fmt.Errorf("manifest: %w", err)
		}
		if len(rest) == 2 {
			limit, err := strconv.ParseInt(rest[1], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("MAX-BYTES: %w", err)
			}
			if err := checkSize(m, limit); err != nil {
				return nil, err
			}
		}
		return save(ctx, dir, m)
	case "restore":
		return restore(ctx, dir, rest)
	case "stage":
		return stage(ctx, dir, rest)
	case "swap", "unstage":
		m, err := readManifest(dir)
		if err != nil {
			return m, err
		}
		vols, err := pick(m, rest)
		if err != nil {
			return m, err
		}
		if verb == "swap" {
			return m, swapAll(vols)
		}
		return m, unstage(vols)
	case "verify":
		m, _, err := verifyAll(dir, rest)
		return m, err
	case "ls":
		return list(dir)
	case "rm":
		return nil, remove(append([]string{dir}, rest...))
	case "du":
		return contentSizes(append([]string{filepath.Base(dir)}, rest...))
	case "adopt":
		if len(rest) != 1 {
			return nil, errors.New("usage: devstack-snapshot adopt STAGE DIR")
		}
		return adopt(dir, filepath.Clean(rest[0]))
	case "discard":
		return nil, discard(dir)
	}
	return nil, fmt.Errorf("unknown command %q", verb)
}

// errTooBig is a save over its MAX-BYTES: the helper exits with
// manifest.ExitTooBig.
var errTooBig = errors.New("over the size limit")

// checkSize refuses a save whose volumes' files hold more than limit bytes.
func checkSize(m manifest.Manifest, limit int64) error {
	var total int64
	for _, v := range m.Volumes {
		err := filepath.WalkDir(filepath.Join(volumesDir, v.Key), func(_ string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				fi, err := d.Info()
				if err != nil {
					return err
				}
				total += fi.Size()
			}
			if total > limit {
				return errTooBig
			}
			return nil
		})
		if errors.Is(err, errTooBig) {
			return fmt.Errorf("%w: the volumes hold more than %d MiB", errTooBig, limit>>20)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// contentSizes answers the bytes of the regular files of each volume
// /v/KEY.
func contentSizes(keys []string) (map[string]int64, error) {
	out := map[string]int64{}
	for _, k := range keys {
		if err := manifest.CheckName(k); err != nil {
			return nil, err
		}
		var total int64
		err := filepath.WalkDir(filepath.Join(volumesDir, k), func(_ string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			fi, err := d.Info()
			if err == nil {
				total += fi.Size()
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		out[k] = total
	}
	return out, nil
}

// list reads the manifest of every snapshot in dir, oldest first; a
// missing dir has none.
func list(dir string) ([]manifest.Manifest, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return []manifest.Manifest{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := []manifest.Manifest{}
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		m, err := readManifest(filepath.Join(dir, e.Name()))
		if err != nil {
			continue // not (yet) a snapshot
		}
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	return out, nil
}

func readManifest(dir string) (manifest.Manifest, error) {
	var m manifest.Manifest
	data, err := os.ReadFile(filepath.Join(dir, manifest.File))
	if errors.Is(err, fs.ErrNotExist) {
		return m, fmt.Errorf("no snapshot %s", filepath.Base(dir))
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("snapshot %s: damaged manifest: %w", filepath.Base(dir), err)
	}
	return m, nil
}

// remove removes snapshots: each is first renamed out of sight, so a
// removal cut short leaves no half snapshot that ls would show.
func remove(dirs []string) error {
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, manifest.File)); err != nil {
			return fmt.Errorf("no snapshot %s", filepath.Base(dir))
		}
	}
	for _, dir := range dirs {
		gone := filepath.Join(filepath.Dir(dir), ".rm-"+filepath.Base(dir))
		if err := os.Rename(dir, gone); err != nil {
			return err
		}
		if err := os.RemoveAll(gone); err != nil {
			return err
		}
		os.Remove(filepath.Dir(dir)) // the project's directory, once empty
	}
	return nil
}
