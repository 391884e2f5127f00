//go:build race

package checker

// raceEnabled: the race runtime reserves address space of its own and runs
// interpreted code several times slower, so limits are hit differently.
const raceEnabled = true
