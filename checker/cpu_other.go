//go:build !linux

package checker

// Elsewhere, slots are not pinned to CPUs.
func slotCPUs(n int) []int { return nil }

func onCPU(cpu int) func() { return func() {} }
