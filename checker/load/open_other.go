//go:build !unix

package load

import "os"

func syscallOpen(p string) (int, error) {
	f, err := os.Open(p)
	if err != nil {
		return -1, err
	}
	return int(f.Fd()), nil
}
