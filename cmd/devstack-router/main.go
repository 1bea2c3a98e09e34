// Command devstack-router is devstack's local HTTPS router: one container
// for every project on the engine, serving https://SERVICE.PROJECT.localhost
// (and plain http) to the services' containers. devstack builds it static
// (standard library only, so it stays small), embeds it, and runs it from
// an image of this one file that it assembles itself.
//
// Its routes are the files in -routes, one PROJECT.json a project, which
// devstack copies in through the Engine API and then signals SIGHUP (it
// waits for the link .loaded to name the token it wrote in .reload). No
// listener but the two below: nothing to authenticate, and the table comes
// back from the container's own filesystem when the engine restarts it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/devstack/devstack/internal/router"
)

func main() {
	routes := flag.String("routes", "/routes", "directory of PROJECT.json route files")
	httpAddr := flag.String("http", ":80", "plain HTTP address")
	httpsAddr := flag.String("https", ":443", "HTTPS address")
	flag.Parse()
	if err := run(*routes, *httpAddr, *httpsAddr); err != nil {
		fmt.Fprintln(os.Stderr, "devstack-router:", err)
		os.Exit(1)
	}
}

func run(dir, httpAddr, httpsAddr string) error {
	net.DefaultResolver = router.FreshResolver("/etc/resolv.conf")
	s := router.NewServer()
	if err := s.Load(dir); err != nil {
		return err
	}
	hl, err := net.Listen("tcp", httpAddr)
	if err != nil {
		return err
	}
	tl, err := net.Listen("tcp", httpsAddr)
	if err != nil {
		return err
	}
	// HTTP/1.1, plain and over TLS: the router's own proxy (cheaper a
	// request); HTTP/2 (TLS ALPN h2): net/http's server.
	secure := router.NewHTTPServer(s, true)
	errc := make(chan error, 2)
	go func() { errc <- s.ServePlain(hl) }()
	go func() { errc <- s.ServeTLS(tl, secure) }()
	sig := make(chan os.Signal, 4)
	signal.Notify(sig, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT)
	for {
		select {
		case err := <-errc:
			return err
		case v := <-sig:
			if v == syscall.SIGHUP {
				token := router.ReloadToken(dir)
				if err := s.Load(dir); err != nil {
					log.Printf("reload: %v", err)
				}
				if err := router.MarkLoaded(dir, token); err != nil {
					log.Printf("reload: %v", err)
				}
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			hl.Close()
			tl.Close()
			s.Close()
			if err := secure.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			return nil
		}
	}
}
