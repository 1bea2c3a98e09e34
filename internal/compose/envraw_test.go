package compose

import (
	"context"
	"testing"
)

func TestEnvFileRawAndOptional(t *testing.T) {
	t.Setenv("FROM_HOST", "host-value")
	dir := write(t, map[string]string{
		"compose.yaml": `services:
  web:
    image: x
    env_file:
      - {path: missing.env, required: false}
      - {path: raw.env, format: raw}
      - plain.env
`,
		"raw.env":   "\ufeff# comment\n  QUOTED=\"kept as is\"  \nREF=$FROM_HOST\nFROM_HOST\nUNSET_ONE\nEMPTY=\n",
		"plain.env": "PLAIN=\"unquoted\"\n",
	})
	p, err := Load(context.Background(), Options{WorkingDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	env := p.Services["web"].Environment
	want := map[string]string{"QUOTED": `"kept as is"  `, "REF": "$FROM_HOST", "FROM_HOST": "host-value", "EMPTY": "", "PLAIN": "unquoted"}
	for k, v := range want {
		if got := env[k]; got == nil || *got != v {
			t.Errorf("%s = %v, want %q", k, got, v)
		}
	}
	if _, ok := env["UNSET_ONE"]; ok {
		t.Errorf("UNSET_ONE is set: %v", env["UNSET_ONE"])
	}
}
