package progress

import "time"

// KindWatchState events carry a watched service's state (Name: the
// service; Watch: the state), for a dashboard to show beside the service:
// watching, syncing N files, the last sync, the last error. A log of lines
// leaves them out: the KindReload lines say the same in words.
const KindWatchState Kind = "WatchState"

// The states of a watched service.
const (
	WatchWatching   = "watching"   // idle, following changes
	WatchSyncing    = "syncing"    // a reload runs (Files: the files it carries)
	WatchRebuilding = "rebuilding" // a rebuild and recreate runs
	WatchPaused     = "paused"     // reloaded too often; paused for a while
	WatchStopped    = "stopped"    // the watch ended
)

// WatchState is where the watch of one service is.
type WatchState struct {
	State    string    `json:"state"`
	Files    int       `json:"files,omitempty"`    // files of the reload under way (WatchSyncing)
	LastSync time.Time `json:"last_sync,omitzero"` // when the last reload ended
	Action   string    `json:"action,omitempty"`   // the last reload's action: sync, rebuild, ...
	Err      string    `json:"error,omitempty"`    // the last reload's error; "" once one succeeds
	Polling  string    `json:"polling,omitempty"`  // the poll interval when polling instead of file events
}

// WatchStateEvent is the KindWatchState event of service in state st.
func WatchStateEvent(service string, st WatchState) Event {
	return Event{Kind: KindWatchState, Name: service, Status: st.State, Watch: &st}
}
