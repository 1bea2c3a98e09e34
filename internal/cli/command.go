package cli

import (
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/registryauth"
)

// Command is devstack's command tree as Main runs it, completion command
// included, with its input and output going nowhere: for programs that read
// the tree, such as the reference generator (internal/cli/docgen), which
// the devstack binary does not link.
func Command() *cobra.Command {
	g := &globals{auth: registryauth.New(""), stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	root := newRoot(g)
	root.InitDefaultCompletionCmd()
	return root
}
