//go:build !linux

package receiver

import "errors"

// notifier needs inotify: the receiver runs in Linux containers only.
type notifier struct{}

func newNotifier(string) (*notifier, error) {
	return nil, errors.New("following a directory needs Linux inotify")
}

func (*notifier) wait(<-chan struct{}) map[string]bool { return nil }
func (*notifier) close()                               {}
