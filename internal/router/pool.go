package router

import (
	"sync"
	"time"
)

// idlePool holds the backend connections client connections left between
// responses, for the next client connection to the same backend: a
// client that opens a connection a request (curl, a health check) costs
// no new backend connection and no name lookup each time.
type idlePool struct {
	mu sync.Mutex
	m  map[string][]*backConn
}

const (
	maxIdlePerBackend = 64
	idleBackTimeout   = 90 * time.Second
)

// put keeps b (between responses) or, over the limit, closes it.
func (ip *idlePool) put(b *backConn) {
	b.since = time.Now()
	ip.mu.Lock()
	if ip.m == nil {
		ip.m = map[string][]*backConn{}
	}
	if l := ip.m[b.addr]; len(l) < maxIdlePerBackend {
		ip.m[b.addr] = append(l, b)
		ip.mu.Unlock()
		return
	}
	ip.mu.Unlock()
	b.c.Close()
}

// get is a kept connection to addr the backend has not closed, or nil.
func (ip *idlePool) get(addr string) *backConn {
	for {
		ip.mu.Lock()
		l := ip.m[addr]
		if len(l) == 0 {
			ip.mu.Unlock()
			return nil
		}
		b := l[len(l)-1]
		l[len(l)-1] = nil
		ip.m[addr] = l[:len(l)-1]
		ip.mu.Unlock()
		if time.Since(b.since) < idleBackTimeout && !stale(b.c) {
			return b
		}
		b.c.Close()
	}
}

// closeAll closes every kept connection (the routes changed: some may go
// to containers that are gone).
func (ip *idlePool) closeAll() {
	ip.mu.Lock()
	m := ip.m
	ip.m = nil
	ip.mu.Unlock()
	for _, l := range m {
		for _, b := range l {
			b.c.Close()
		}
	}
}
