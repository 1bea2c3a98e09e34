package eventloop

import "errors"

// Stop, returned by a handler, ends the loop with a nil error.
var Stop = errors.New("stop the event loop")
