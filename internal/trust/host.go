package trust

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// RecordFile is where trust keeps what it added, beside the CA.
const RecordFile = "trusted.json"

// LocalHost describes this machine for a plan.
func LocalHost(interactive bool) (Host, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return Host{}, err
	}
	return Host{
		GOOS:        runtime.GOOS,
		Home:        home,
		Root:        os.Geteuid() == 0, // -1 on Windows: its user store needs no admin
		Interactive: interactive,
		LookPath:    exec.LookPath,
		Exists: func(p string) bool {
			_, err := os.Stat(p)
			return err == nil
		},
		Glob: filepath.Glob,
	}, nil
}

// ExecRunner runs commands on this machine, output and errors combined.
type ExecRunner struct{}

// Run runs args; sudo asks for its password on the terminal.
func (ExecRunner) Run(ctx context.Context, args []string) ([]byte, error) {
	return exec.CommandContext(ctx, args[0], args[1:]...).CombinedOutput()
}

type record struct {
	Entries []Entry `json:"entries"`
}

// ReadRecord reads what trust added earlier (nothing without a record).
func ReadRecord(dir string) ([]Entry, error) {
	b, err := os.ReadFile(filepath.Join(dir, RecordFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var r record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, RecordFile), err)
	}
	return r.Entries, nil
}

// WriteRecord keeps entries (the file removed when none are left).
func WriteRecord(dir string, entries []Entry) error {
	path := filepath.Join(dir, RecordFile)
	if len(entries) == 0 {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	b, err := json.MarshalIndent(record{Entries: entries}, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
