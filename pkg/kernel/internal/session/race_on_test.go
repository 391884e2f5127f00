//go:build race

package session

// The race detector needs more address space than the child's limit allows.
const raceEnabled = true
