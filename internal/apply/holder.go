package apply

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// processHolding finds the local process listening on the port by reading
// /proc (Linux; needs the privileges to see that process). It returns e.g.
// "mysqld (pid 812)", or "" when it cannot tell.
func processHolding(port int, proto string) string {
	inodes := map[string]bool{}
	for _, table := range []string{"/proc/net/" + proto, "/proc/net/" + proto + "6"} {
		for _, inode := range listeningInodes(table, port, proto == "tcp") {
			inodes[inode] = true
		}
	}
	if len(inodes) == 0 {
		return ""
	}
	procs, _ := filepath.Glob("/proc/[0-9]*/fd/*")
	for _, fd := range procs {
		link, err := os.Readlink(fd)
		if err != nil || !strings.HasPrefix(link, "socket:[") {
			continue
		}
		if inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] {
			pid := strings.Split(fd, "/")[2]
			comm, _ := os.ReadFile("/proc/" + pid + "/comm")
			return fmt.Sprintf("%s (pid %s)", strings.TrimSpace(string(comm)), pid)
		}
	}
	return ""
}

// listeningInodes reads a /proc/net table for sockets bound to the port
// (listening ones only for tcp) and returns their inodes.
func listeningInodes(table string, port int, tcp bool) []string {
	f, err := os.Open(table)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 10 {
			continue
		}
		_, hexPort, _ := strings.Cut(fields[1], ":")
		p, err := strconv.ParseInt(hexPort, 16, 32)
		if err != nil || int(p) != port || (tcp && fields[3] != "0A") {
			continue
		}
		out = append(out, fields[9])
	}
	return out
}
