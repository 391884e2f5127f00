// Package atomicfile writes files so that a reader, or a run cut short,
// finds either the old file or the whole new one, never a half-written
// one: the data goes to a temporary file in the same folder, is synced,
// and is renamed over the target (a rename within a file system is
// atomic). Gradebooks, notebooks and kernelspecs are all written this way.
package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFile writes what write produces to name, atomically, with mode 0644.
// On any error the target is untouched and no temporary file is left.
func WriteFile(name string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			err = fmt.Errorf("writing %s: %w", name, err)
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// Write writes data to name atomically.
func Write(name string, data []byte) error {
	return WriteFile(name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
