package tui

import (
	"fmt"
	"os/exec"
	"runtime"
)

// OpenURL starts the desktop's opener on url, without waiting for it (the
// dashboard's Options.Open): xdg-open (or open on macOS, wslview under
// WSL), and on Windows start.
func OpenURL(url string) error {
	if runtime.GOOS == "windows" {
		cmd := exec.Command("cmd", "/c", "start", "", url)
		if err := cmd.Start(); err != nil {
			return err
		}
		go func() { _ = cmd.Wait() }()
		return nil
	}
	for _, opener := range []string{"xdg-open", "open", "wslview"} {
		path, err := exec.LookPath(opener)
		if err != nil {
			continue
		}
		cmd := exec.Command(path, url)
		if err := cmd.Start(); err != nil {
			return err
		}
		go func() { _ = cmd.Wait() }()
		return nil
	}
	return fmt.Errorf("no browser opener (xdg-open) found")
}
