// Package termsafe keeps what others wrote from driving the terminal: a
// name from an archive, a file name, a service's output. An escape
// sequence in them could retitle the terminal, clear lines or move the
// cursor. It imports the standard library only.
package termsafe

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Name is s as printed where it names something: unchanged when it is
// printable, else quoted with Go's escapes (%q: "a\x1b[2J"), so control
// characters, C1 controls and invalid UTF-8 are seen, never acted on.
func Name(s string) string {
	if isPlainASCII(s) || !strings.ContainsFunc(s, isControl) && utf8.ValidString(s) {
		return s
	}
	return strconv.Quote(s)
}

// Names is Name of each.
func Names(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = Name(s)
	}
	return out
}

// isControl is a C0 or C1 control character, or DEL.
func isControl(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f }

// maxLineBytes bounds what one log line may cost; the rest is cut.
const maxLineBytes = 8 << 10

// Line makes a service's output safe to print inside the dashboard:
// colour (SGR) sequences pass through when keepColor, every other escape
// sequence and control character is dropped (they could move the cursor or
// retitle the terminal), tabs become spaces and invalid UTF-8 is replaced.
// It also returns the plain, ASCII-lower-cased text for search and filter.
func Line(raw string, keepColor bool) (text, plain string) {
	if len(raw) > maxLineBytes {
		raw = raw[:maxLineBytes] + "…"
	}
	if isPlainASCII(raw) {
		return raw, Lower(raw)
	}
	raw = strings.ToValidUTF8(raw, "\uFFFD")
	var out, pl strings.Builder
	out.Grow(len(raw))
	colored := false
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == 0x1b:
			seq, n := escape(raw[i:])
			if keepColor && seq != "" {
				out.WriteString(seq)
				colored = true
			}
			i += n
			continue
		case c == '\t':
			out.WriteString("    ")
			pl.WriteString("    ")
		case c < 0x20 || c == 0x7f:
		case c < utf8.RuneSelf:
			out.WriteByte(c)
			pl.WriteByte(c)
		default:
			r, n := utf8.DecodeRuneInString(raw[i:])
			if isControl(r) { // C1 controls: U+009B is a CSI to some terminals
				i += n
				continue
			}
			out.WriteString(raw[i : i+n])
			pl.WriteString(raw[i : i+n])
			i += n
			continue
		}
		i++
	}
	if colored {
		out.WriteString("\x1b[0m")
	}
	return out.String(), Lower(pl.String())
}

// escape reads the escape sequence at the start of s. It returns the
// sequence when it is an SGR (colour) sequence, and its length in bytes.
func escape(s string) (sgr string, n int) {
	if len(s) < 2 {
		return "", len(s)
	}
	switch s[1] {
	case '[': // CSI: parameters and intermediates, then a final byte 0x40-0x7e
		for i := 2; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				if s[i] == 'm' && sgrParams(s[2:i]) {
					return s[:i+1], i + 1
				}
				return "", i + 1
			}
		}
		return "", len(s)
	case ']', 'P', '_', '^', 'X': // OSC, DCS, APC, PM, SOS: up to BEL or ST
		for i := 2; i < len(s); i++ {
			if s[i] == 0x07 {
				return "", i + 1
			}
			if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
				return "", i + 2
			}
		}
		return "", len(s)
	}
	return "", 2
}

func sgrParams(p string) bool {
	for i := 0; i < len(p); i++ {
		if (p[i] < '0' || p[i] > '9') && p[i] != ';' && p[i] != ':' {
			return false
		}
	}
	return true
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// Lower lower-cases the ASCII letters of s (for search and filter).
func Lower(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return 'A' <= r && r <= 'Z' }) {
		return s // no copy for the common all-lower-case line
	}
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
