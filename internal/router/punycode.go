package router

import (
	"strings"
	"unicode/utf8"
)

// ToASCII is one label in its ASCII form: lower case, and when it holds
// non-ASCII characters, "xn--" and its punycode (RFC 3492). The full IDNA
// mapping (NFC, width folding) is left out: browsers and curl send names
// already in this form; this covers a Host typed by hand.
func ToASCII(label string) string {
	label = strings.ToLower(label)
	ascii := true
	for i := 0; i < len(label); i++ {
		if label[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii || !utf8.ValidString(label) {
		return label
	}
	return "xn--" + punyEncode([]rune(label))
}

const (
	pBase = 36
	pTMin = 1
	pTMax = 26
	pSkew = 38
	pDamp = 700
)

func punyEncode(in []rune) string {
	var out []byte
	for _, r := range in {
		if r < 0x80 {
			out = append(out, byte(r))
		}
	}
	b := len(out)
	h := b
	if b > 0 {
		out = append(out, '-')
	}
	n, delta, bias := rune(0x80), 0, 72
	for h < len(in) {
		m := rune(0x7fffffff)
		for _, r := range in {
			if r >= n && r < m {
				m = r
			}
		}
		delta += int(m-n) * (h + 1)
		n = m
		for _, r := range in {
			if r < n {
				delta++
			}
			if r != n {
				continue
			}
			q := delta
			for k := pBase; ; k += pBase {
				t := k - bias
				if t < pTMin {
					t = pTMin
				} else if t > pTMax {
					t = pTMax
				}
				if q < t {
					break
				}
				out = append(out, punyDigit(t+(q-t)%(pBase-t)))
				q = (q - t) / (pBase - t)
			}
			out = append(out, punyDigit(q))
			bias = punyAdapt(delta, h+1, h == b)
			delta = 0
			h++
		}
		delta++
		n++
	}
	return string(out)
}

func punyDigit(d int) byte {
	if d < 26 {
		return byte('a' + d)
	}
	return byte('0' + d - 26)
}

func punyAdapt(delta, numPoints int, first bool) int {
	if first {
		delta /= pDamp
	} else {
		delta /= 2
	}
	delta += delta / numPoints
	k := 0
	for delta > ((pBase-pTMin)*pTMax)/2 {
		delta /= pBase - pTMin
		k += pBase
	}
	return k + (pBase-pTMin+1)*delta/(delta+pSkew)
}
