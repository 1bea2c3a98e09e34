package info

import (
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/presets"
)

func TestRender(t *testing.T) {
	user, pass := "app", "secret"
	s := types.ServiceConfig{Name: "mysql"}
	s.Environment = types.MappingWithEquals{"MYSQL_USER": &user, "MYSQL_PASSWORD": &pass}
	s.Ports = []types.ServicePortConfig{{Target: 3306, Published: "3306", HostIP: "127.0.0.1"}}
	s.Extensions = types.Extensions{presets.Extension: map[string]any{
		"description": "MySQL",
		"info":        []any{`user {{env "MYSQL_USER"}} on {{project}}`},
		"env":         map[string]any{"DATABASE_URL": `mysql://{{env "MYSQL_USER"}}:{{env "MYSQL_PASSWORD"}}@127.0.0.1:{{port 3306}}/db`},
	}}
	tests := []struct {
		name  string
		ports map[string]int
		want  string
		addr  string
	}{
		{"configured port", nil, "DATABASE_URL=mysql://app:secret@127.0.0.1:3306/db", "127.0.0.1:3306"},
		{"port moved by the engine", map[string]int{"3306/tcp": 3307}, "DATABASE_URL=mysql://app:secret@127.0.0.1:3307/db", "127.0.0.1:3307"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Render("demo", s, tt.ports)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got.Env, "|") != tt.want || got.Lines[0] != "user app on demo" || got.Description != "MySQL" {
				t.Errorf("got %+v", got)
			}
			if EnvLines([]Service{got}) != tt.want+"\n" {
				t.Errorf("env lines %q", EnvLines([]Service{got}))
			}
		})
	}
	bad := s
	bad.Extensions = types.Extensions{presets.Extension: map[string]any{"env": map[string]any{"X": "{{port 9999}}"}}}
	if _, err := Render("demo", bad, nil); err == nil || !strings.Contains(err.Error(), "9999 is not published") {
		t.Errorf("unpublished port: %v", err)
	}
}
