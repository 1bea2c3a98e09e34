package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/router"
	"github.com/devstack/devstack/internal/trust"
)

func newRouterTrustCmd(g *globals) *cobra.Command {
	var undo bool
	var stores []string
	cmd := &cobra.Command{
		Use:   "trust",
		Short: "Add the local CA's certificate to the system trust store and the browsers' (--undo removes it)",
		Long: `Add the router's CA certificate (devstack router ca) to:

  the system store   Debian/Ubuntu /usr/local/share/ca-certificates + update-ca-certificates,
                     Fedora/RHEL /etc/pki/ca-trust/source/anchors + update-ca-trust,
                     Arch and SUSE likewise; through sudo unless run as root.
                     macOS: the login keychain (security add-trusted-cert).
                     Windows: the user's Root store (certutil -user).
  the browsers       the NSS databases of Chromium/Chrome (~/.pki/nssdb, made when a
                     Chromium-family browser is installed but never started) and of each
                     Firefox profile, with NSS's certutil (Debian: libnss3-tools).

It says what it changed and what it could not (no sudo, no certutil), with the
command to do it by hand. What it added is recorded beside the CA; --undo
removes exactly that. The CA's key is never read or copied: the certificate is
limited to names under .localhost. Restart browsers afterwards.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := router.CADir()
			if err != nil {
				return err
			}
			host, err := trust.LocalHost(isTerminal(g.stdin))
			if err != nil {
				return err
			}
			if u := os.Getenv("SUDO_USER"); u != "" && host.Root {
				fmt.Fprintf(g.stderr, "warning: running under sudo: this is root's CA (%s) and root's browser databases, not %s's; run devstack router trust as %s (it uses sudo itself for the system store)\n", dir, u, u)
			}
			if undo {
				return runUntrust(cmd, g, dir, host)
			}
			return runTrust(cmd, g, dir, host, stores)
		},
	}
	cmd.Flags().BoolVar(&undo, "undo", false, "remove what an earlier devstack router trust added")
	cmd.Flags().StringSliceVar(&stores, "stores", trust.Stores, "the stores to change: system, nss (the browsers' databases)")
	return cmd
}

// errTrust: some store could not be changed (each said in its own line).
var errTrust = errors.New("router trust: not every store was changed (see above)")

func runTrust(cmd *cobra.Command, g *globals, dir string, host trust.Host, stores []string) error {
	ca, err := router.LoadCA(dir)
	if err != nil {
		return err
	}
	cert, err := trust.ParseCert(ca.CertPath(), ca.CertPEM)
	if err != nil {
		return err
	}
	plan, err := trust.PlanTrust(host, cert, stores)
	if err != nil {
		return err
	}
	for _, n := range plan.Notes {
		fmt.Fprintf(g.stderr, "could not: %s\n", n)
	}
	res := trust.Apply(cmd.Context(), trust.ExecRunner{}, plan)
	rec, err := trust.ReadRecord(dir)
	if err != nil {
		return err
	}
	if err := trust.WriteRecord(dir, trust.Merge(rec, res)); err != nil {
		return err
	}
	failed := report(g, res, "added "+cert.Name+" to", "could not add it to")
	if len(res) > len(failed) {
		fmt.Fprintf(g.stderr, "Programs reading those stores now trust https://*.localhost from this devstack (restart browsers); devstack router trust --undo removes it\n")
	}
	if len(failed) > 0 {
		return errTrust
	}
	return nil
}

func runUntrust(cmd *cobra.Command, g *globals, dir string, host trust.Host) error {
	rec, err := trust.ReadRecord(dir)
	if err != nil {
		return err
	}
	if len(rec) == 0 {
		fmt.Fprintln(g.stderr, "Nothing to undo: devstack router trust added nothing here")
		return nil
	}
	res := trust.Undo(cmd.Context(), trust.ExecRunner{}, trust.PlanUndo(host, rec))
	if err := trust.WriteRecord(dir, trust.Remaining(rec, res)); err != nil {
		return err
	}
	failed := report(g, res, "removed the CA from", "could not remove it from")
	for _, r := range res {
		if r.Err == nil && r.Step.Entry.Created {
			fmt.Fprintf(g.stderr, "  (%s was made by router trust; it is left in place, empty of devstack's CA)\n", r.Step.Entry.Target)
		}
	}
	if len(failed) > 0 {
		return errTrust
	}
	return nil
}

// report prints one line per step, done or not, and returns the failed.
func report(g *globals, res []trust.Result, done, notDone string) []trust.Result {
	var failed []trust.Result
	for _, r := range res {
		if r.Err != nil {
			failed = append(failed, r)
			fmt.Fprintf(g.stderr, "%s %s: %v\n", notDone, r.Step.Label, r.Err)
			continue
		}
		fmt.Fprintf(g.stderr, "%s %s\n", done, r.Step.Label)
	}
	if len(res) == 0 {
		fmt.Fprintln(g.stderr, "No trust store changed")
	}
	return failed
}
