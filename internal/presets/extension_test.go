package presets

import (
	"reflect"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

func TestExtensionAccessors(t *testing.T) {
	ext := types.Extensions{
		Extension: map[string]any{
			"description": "d",
			"info":        []any{"http://127.0.0.1:{{port 80}}"},
			"env":         map[string]any{"APP_URL": "u"},
		},
		WatchExtension: []any{map[string]any{"path": ".devstack/x.conf", "action": "sync+exec", "target": "/etc/x.conf", "exec": []any{"x", "reload"}}},
	}
	if !IsPreset(ext) || IsPreset(types.Extensions{WatchExtension: []any{}}) {
		t.Fatal("IsPreset: want true only with x-devstack")
	}
	m, err := MetaOf(ext)
	if err != nil {
		t.Fatal(err)
	}
	want := Meta{Description: "d", Info: []string{"http://127.0.0.1:{{port 80}}"}, Env: map[string]string{"APP_URL": "u"}}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("MetaOf = %+v, want %+v", m, want)
	}
	w, err := WatchDefaults(ext)
	if err != nil {
		t.Fatal(err)
	}
	wantW := []WatchDefault{{Path: ".devstack/x.conf", Action: "sync+exec", Target: "/etc/x.conf", Exec: []string{"x", "reload"}}}
	if !reflect.DeepEqual(w, wantW) {
		t.Errorf("WatchDefaults = %+v, want %+v", w, wantW)
	}
	if m, err := MetaOf(nil); err != nil || !reflect.DeepEqual(m, Meta{}) {
		t.Errorf("MetaOf(none) = %+v, %v; want zero, nil", m, err)
	}
	if w, err := WatchDefaults(nil); err != nil || w != nil {
		t.Errorf("WatchDefaults(none) = %+v, %v; want nil, nil", w, err)
	}
	bad := types.Extensions{Extension: map[string]any{"info": map[string]any{"a": 1}}, WatchExtension: "no list"}
	if _, err := MetaOf(bad); err == nil || !strings.Contains(err.Error(), Extension) {
		t.Errorf("MetaOf(bad): %v, want an error naming %s", err, Extension)
	}
	if _, err := WatchDefaults(bad); err == nil || !strings.Contains(err.Error(), WatchExtension) {
		t.Errorf("WatchDefaults(bad): %v, want an error naming %s", err, WatchExtension)
	}
}
