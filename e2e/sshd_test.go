//go:build linux

package e2e

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdSshd starts a private OpenSSH server for the script on a free
// loopback port: a host key and an authorized client key made here, its
// own config in $WORK/ssh (root may log in with the key only), and the
// sessions' DOCKER_HOST set to the script's engine, so that
// `docker system dial-stdio` on the "remote" side reaches it. An `ssh`
// wrapper first on PATH uses only $WORK/ssh's key, known_hosts and config:
// the machine's /etc/ssh and root's ~/.ssh are left alone (ssh reads ~
// from the password database, not $HOME). Sets $SSHHOST to
// ssh://root@127.0.0.1:PORT and $SSHPORT; the server stops when the script
// ends. Debian's openssh-server is installed when sshd is missing (its
// service is not started here: Debian's container images deny service
// starts in policy-rc.d).
func cmdSshd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: sshd")
	}
	if os.Geteuid() != 0 {
		ts.Fatalf("sshd: needs root (to log in as root)")
	}
	sshd, err := sshdBinary()
	ts.Check(err)
	realSSH, err := exec.LookPath("ssh")
	ts.Check(err)
	dir := filepath.Join(ts.Getenv("WORK"), "ssh")
	ts.Check(os.MkdirAll(filepath.Join(dir, "bin"), 0o700))
	for _, key := range []string{"host_key", "id"} {
		out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "devstack-e2e", "-f", filepath.Join(dir, key)).CombinedOutput()
		if err != nil {
			ts.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
	}
	port := freePort(ts)
	engine := ts.Getenv("DOCKER_HOST")
	if engine == "" {
		engine = "unix:///var/run/docker.sock"
	}
	p := func(name string) string { return filepath.Join(dir, name) }
	writeFile(ts, p("sshd_config"), fmt.Sprintf(`Port %d
ListenAddress 127.0.0.1
HostKey %s
AuthorizedKeysFile %s
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile none
SetEnv DOCKER_HOST=%s
`, port, p("host_key"), p("id.pub"), engine))
	hostKey, err := os.ReadFile(p("host_key.pub"))
	ts.Check(err)
	writeFile(ts, p("known_hosts"), fmt.Sprintf("[127.0.0.1]:%d %s", port, hostKey))
	writeFile(ts, p("config"), fmt.Sprintf(`Host *
  IdentityFile %s
  IdentitiesOnly yes
  UserKnownHostsFile %s
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  BatchMode yes
`, p("id"), p("known_hosts")))
	writeFile(ts, p("bin/ssh"), fmt.Sprintf("#!/bin/sh\nexec %s -F %s \"$@\"\n", realSSH, p("config")))
	ts.Check(os.Chmod(p("bin/ssh"), 0o755))

	log, err := os.Create(p("sshd.log"))
	ts.Check(err)
	cmd := exec.Command(sshd, "-D", "-e", "-f", p("sshd_config"))
	cmd.Stdout, cmd.Stderr = log, log
	ts.Check(cmd.Start())
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	ts.Defer(func() {
		_ = cmd.Process.Kill()
		<-done
		log.Close()
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		select {
		case <-done:
			out, _ := os.ReadFile(p("sshd.log"))
			ts.Fatalf("sshd exited:\n%s", out)
		default:
		}
		if time.Now().After(deadline) {
			ts.Fatalf("sshd not listening on %s after 10s", addr)
		}
	}
	ts.Setenv("PATH", p("bin")+string(os.PathListSeparator)+ts.Getenv("PATH"))
	ts.Setenv("SSHHOST", "ssh://root@"+addr)
	ts.Setenv("SSHPORT", fmt.Sprint(port))
}

func writeFile(ts *testscript.TestScript, name, content string) {
	ts.Check(os.WriteFile(name, []byte(content), 0o600))
}

var sshdOnce struct {
	sync.Once
	path string
	err  error
}

// sshdBinary is sshd, installed once with apt-get when missing, and with
// its privilege separation directory.
func sshdBinary() (string, error) {
	sshdOnce.Do(func() {
		const sshd = "/usr/sbin/sshd"
		if _, err := os.Stat(sshd); err != nil {
			install := exec.Command("apt-get", "install", "-y", "--no-install-recommends", "openssh-server")
			install.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
			if out, err := install.CombinedOutput(); err != nil {
				sshdOnce.err = fmt.Errorf("apt-get install openssh-server: %v\n%s", err, lastLines(string(out), 10))
				return
			}
		}
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			sshdOnce.err = err
			return
		}
		sshdOnce.path = sshd
	})
	return sshdOnce.path, sshdOnce.err
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
