package compose

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/compose-spec/compose-go/v2/dotenv"
)

// The docker compose CLI, not compose-go, registers env_file format "raw":
// docker run --env-file's syntax, every value taken literally (no quotes,
// no interpolation). devstack registers the same.
func init() { dotenv.RegisterFormat("raw", parseRawEnv) }

// parseRawEnv reads KEY=VALUE lines as they are: leading white space and
// a UTF-8 byte order mark are dropped, empty lines and lines starting with
// # are skipped, the value keeps its quotes and trailing spaces, and a bare
// KEY takes its value from the environment (left out when unset).
func parseRawEnv(r io.Reader, filename string, vars map[string]string, lookup func(string) (string, bool)) error {
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		b := sc.Bytes()
		if n == 1 {
			b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
		}
		if !utf8.Valid(b) {
			return fmt.Errorf("env_file %s line %d: invalid UTF-8", filename, n)
		}
		line := strings.TrimLeftFunc(string(b), unicode.IsSpace)
		if line == "" || line[0] == '#' {
			continue
		}
		key, value, hasValue := strings.Cut(line, "=")
		switch {
		case key == "":
			return fmt.Errorf("env_file %s line %d: no variable name", filename, n)
		case strings.ContainsAny(key, " \t"):
			return fmt.Errorf("env_file %s line %d: variable %q contains white space", filename, n, key)
		case hasValue:
			vars[key] = value
		case lookup != nil:
			if v, ok := lookup(key); ok {
				vars[key] = v
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("env_file %s: %w", filename, err)
	}
	return nil
}
