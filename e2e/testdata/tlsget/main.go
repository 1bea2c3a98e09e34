// Command tlsget is the e2e client inside a project's container: it GETs
// a URL with Go's default roots (on Linux, SSL_CERT_FILE when set, else
// the image's bundle: none in a busybox image) and prints the body, or the
// error (a certificate it cannot verify) with exit status 1. Standard
// library only; the harness builds it static into PATH.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: tlsget URL")
		os.Exit(2)
	}
	c := &http.Client{Timeout: 20 * time.Second}
	var err error
	for try := 0; try < 10; try++ { // the router may still be joining the network
		var resp *http.Response
		if resp, err = c.Get(os.Args[1]); err == nil {
			defer resp.Body.Close()
			fmt.Printf("%d ", resp.StatusCode)
			_, err = io.Copy(os.Stdout, resp.Body)
			break
		}
		if !retryable(err) {
			break
		}
		time.Sleep(time.Second)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tlsget:", err)
		os.Exit(1)
	}
}

// retryable: not a certificate verdict (those are final).
func retryable(err error) bool {
	s := err.Error()
	for _, w := range []string{"certificate", "x509"} {
		if strings.Contains(s, w) {
			return false
		}
	}
	return true
}
