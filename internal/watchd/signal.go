package watchd

import (
	"os"
	"os/signal"
)

func ignore(sig os.Signal) { signal.Ignore(sig) }
