package complete

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"io"
	"sync"
)

// docs.json.gz holds the Go doc of the preloaded packages and of the
// standard packages a course notebook uses, keyed by import path and then
// symbol ("" is the package doc). It is generated right after the symbol
// tables, by the go:generate lines in package symbols.
//
//go:embed docs.json.gz
var docsGz []byte

var (
	docsOnce sync.Once
	docs     map[string]map[string]string
)

// Doc returns the doc comment of path.name ("" name: the package's).
func Doc(path, name string) string {
	docsOnce.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(docsGz))
		if err != nil {
			return
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			return
		}
		_ = json.Unmarshal(b, &docs)
	})
	return docs[path][name]
}
