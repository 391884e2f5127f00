package display

import "os"

// pidNonce keeps display IDs distinct across kernel restarts, which reset
// handleSeq but never reuse the process ID at once.
var pidNonce = os.Getpid()
