// Package router is what devstack's local HTTPS router shares between the
// devstack side (which computes routes and issues certificates) and the
// router program itself (cmd/devstack-router, which serves them): the route
// table and its state file, DNS name rules, Host normalisation and the local
// CA. It imports the standard library only, so the router stays small.
package router

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"strings"
)

// Suffix is the domain every route lives under: browsers and curl resolve
// *.localhost to loopback by themselves.
const Suffix = "localhost"

// Label maps name to a valid DNS label (RFC 1123: a-z, 0-9 and '-', not at
// either end, at most 63 bytes): lower case, every other character becomes
// '-', and a name too long keeps 54 bytes and a hash of the whole. mapped
// says whether the label differs from name (devstack says so once).
func Label(name string) (label string, mapped bool) {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	label = strings.Trim(b.String(), "-")
	for strings.Contains(label, "--") && !strings.HasPrefix(label, "xn--") {
		label = strings.ReplaceAll(label, "--", "-")
	}
	if len(label) > 63 {
		sum := sha256.Sum256([]byte(name))
		label = strings.TrimRight(label[:54], "-") + "-" + hex.EncodeToString(sum[:])[:8]
	}
	if label == "" {
		sum := sha256.Sum256([]byte(name))
		label = "x" + hex.EncodeToString(sum[:])[:8]
	}
	return label, label != name
}

// ValidName reports whether name is a host name of valid labels under
// .localhost (lower case, ASCII: punycode for IDN).
func ValidName(name string) bool {
	if !strings.HasSuffix(name, "."+Suffix) || len(name) > 253 {
		return false
	}
	for _, l := range strings.Split(name, ".") {
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// NormalizeHost turns a Host header or an SNI name into the form routes
// use: the port dropped, lower case, no trailing dot, and a Unicode (IDN)
// label in its punycode form (xn--...). A bracketed IPv6 literal or an
// empty host gives "".
func NormalizeHost(host string) string {
	if plainName(host) {
		return host // the usual case, every request: nothing to allocate
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimSpace(host), ".")
	if host == "" || strings.ContainsAny(host, "[]:") {
		return ""
	}
	labels := strings.Split(host, ".")
	for i, l := range labels {
		labels[i] = ToASCII(l)
	}
	return strings.Join(labels, ".")
}

// ProjectOf is the project label a name such as SERVICE.PROJECT.localhost
// or PORT.SERVICE.PROJECT.localhost falls under, "" for NAME.localhost.
func ProjectOf(name string) string {
	rest, ok := strings.CutSuffix(name, "."+Suffix)
	if !ok {
		return ""
	}
	i := strings.LastIndexByte(rest, '.')
	if i < 0 {
		return ""
	}
	return rest[i+1:]
}

// plainName: host is already normal: lower-case letters, digits, '-' and
// inner dots only (no port, no upper case, no IDN, no trailing dot).
func plainName(host string) bool {
	if host == "" || host[0] == '.' || host[len(host)-1] == '.' {
		return false
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
