//go:build linux && !cgo

package jail

// unsharedEarly: without cgo there is no code that runs before the Go
// runtime, so the worker cannot make a user namespace itself (the
// runtime's threads rule it out); the judge restarts it with namespaces
// made at fork.
func unsharedEarly() error { return unsupported(NoEarlyUnshare + " (built without cgo)") }
