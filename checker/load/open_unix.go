//go:build unix

package load

import "syscall"

// syscallOpen opens p for reading without following a final symbolic link
// and without blocking: a FIFO opened O_NONBLOCK returns at once.
func syscallOpen(p string) (int, error) {
	for {
		fd, err := syscall.Open(p, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0)
		if err == syscall.EINTR {
			continue
		}
		return fd, err
	}
}
