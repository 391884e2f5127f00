// Package load finds the submissions in the paths an instructor gives:
// .go files, Jupyter notebooks (.ipynb), folders of those and .zip archives
// of those. One file is one submission; its id is the file name without the
// extension.
//
// Files are read only when graded (Item.Read), with a size limit, so a
// batch's memory does not grow with its size. Bad files are not errors of
// the batch: each becomes an item whose Read fails with a message for the
// gradebook. Nothing in a zip is ever written to disk.
package load

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// MaxSource is the largest submission file read, in bytes.
const MaxSource = 1 << 20

// MaxZipTotal bounds what one zip may expand to, all entries together.
const MaxZipTotal = 256 << 20

// Item is one submission, not yet read.
type Item struct {
	ID   string // file name without extension, made unique in the batch
	File string // where it came from: a path, or "archive.zip:dir/name.go"
	Kind string // "go" or "ipynb"
	// Err is set for a file known to be bad before reading (a nested zip,
	// an unsafe zip path): the submission gets this error and nothing runs.
	Err  error
	open func() (io.ReadCloser, int64, error)
}

// Submission is a read submission: a .go file's text, or a notebook's cells.
type Submission struct {
	Source string   // .go
	Cells  []string // .ipynb code cells, in order
	// Texts are free-text answers found in a notebook's markdown cells,
	// by question id ("q1" …).
	Texts map[string]string
}

// Read reads and checks the item's file: size, text, notebook JSON.
func (it *Item) Read() (*Submission, error) {
	if it.Err != nil {
		return nil, it.Err
	}
	rc, size, err := it.open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if size > MaxSource {
		return nil, fmt.Errorf("file is %s; the limit is %s", human(size), human(MaxSource))
	}
	b, err := io.ReadAll(io.LimitReader(rc, MaxSource+1))
	if err != nil {
		return nil, fmt.Errorf("reading: %v", err)
	}
	if len(b) > MaxSource {
		return nil, fmt.Errorf("file is larger than the limit of %s", human(MaxSource))
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, errors.New("empty file")
	}
	if !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		return nil, errors.New("not a text file (binary data or not UTF-8)")
	}
	if it.Kind == "ipynb" {
		return parseNotebook(b)
	}
	return &Submission{Source: string(b)}, nil
}

func human(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// notebook is the part of nbformat 4 the checker reads.
type notebook struct {
	Cells []struct {
		CellType string          `json:"cell_type"`
		Source   json.RawMessage `json:"source"` // a string or a list of strings
	} `json:"cells"`
	NBFormat int `json:"nbformat"`
}

var textHeading = regexp.MustCompile(`(?i)^[\s#*_>-]*(q[1-5])\b[\s.:)*_-]*`)

func parseNotebook(b []byte) (*Submission, error) {
	var nb notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, fmt.Errorf("invalid notebook JSON: %v", err)
	}
	if nb.Cells == nil {
		return nil, errors.New("invalid notebook: no \"cells\" (is it nbformat 4?)")
	}
	s := &Submission{Cells: []string{}, Texts: map[string]string{}}
	for i, c := range nb.Cells {
		src, err := cellSource(c.Source)
		if err != nil {
			return nil, fmt.Errorf("invalid notebook: cell %d: %v", i+1, err)
		}
		switch c.CellType {
		case "code":
			s.Cells = append(s.Cells, src)
		case "markdown":
			if m := textHeading.FindStringSubmatch(src); m != nil {
				id := strings.ToLower(m[1])
				s.Texts[id] = strings.TrimSpace(strings.TrimSpace(s.Texts[id]) + "\n" + strings.TrimSpace(src[len(m[0]):]))
			}
		}
	}
	return s, nil
}

func cellSource(raw json.RawMessage) (string, error) {
	if len(raw) == 0 {
		return "", nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var parts []string
	if err := json.Unmarshal(raw, &parts); err != nil {
		return "", errors.New("source is neither a string nor a list of strings")
	}
	return strings.Join(parts, ""), nil
}

// Paths lists the submissions under the given paths, in order, with unique
// ids. An error is returned only for a path that does not exist or cannot be
// listed; bad files become items whose Read fails.
func Paths(paths []string) ([]*Item, error) {
	var items []*Item
	for _, p := range paths {
		st, err := os.Lstat(p)
		if err != nil {
			return nil, err
		}
		switch {
		case st.IsDir():
			var files []string
			err := filepath.WalkDir(p, func(fp string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				name := d.Name()
				if d.IsDir() {
					if fp != p && (strings.HasPrefix(name, ".") || name == "__MACOSX") {
						return filepath.SkipDir
					}
					return nil
				}
				if wanted(name) || strings.HasSuffix(strings.ToLower(name), ".zip") {
					files = append(files, fp)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
			sort.Strings(files)
			for _, f := range files {
				items = append(items, fileItems(f)...)
			}
		default:
			items = append(items, fileItems(p)...)
		}
	}
	unique(items)
	return items, nil
}

// wanted reports whether a file name is a submission.
func wanted(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "_test.go") {
		return false
	}
	ext := strings.ToLower(path.Ext(name))
	return ext == ".go" || ext == ".ipynb"
}

func kind(name string) string {
	if strings.ToLower(path.Ext(name)) == ".ipynb" {
		return "ipynb"
	}
	return "go"
}

func idOf(name string) string {
	base := path.Base(filepath.ToSlash(name))
	return strings.TrimSuffix(base, path.Ext(base))
}

func fileItems(p string) []*Item {
	st, err := os.Lstat(p)
	if err != nil {
		return []*Item{{ID: idOf(p), File: p, Kind: kind(p), Err: err}}
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		return []*Item{{ID: idOf(p), File: p, Kind: kind(p), Err: errors.New("a symbolic link: not followed")}}
	}
	if !st.Mode().IsRegular() {
		return []*Item{{ID: idOf(p), File: p, Kind: kind(p), Err: errors.New("not a regular file")}}
	}
	if strings.HasSuffix(strings.ToLower(p), ".zip") {
		return zipItems(p)
	}
	return []*Item{{ID: idOf(p), File: p, Kind: kind(p), open: func() (io.ReadCloser, int64, error) {
		f, err := os.Open(p)
		if err != nil {
			return nil, 0, err
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, 0, err
		}
		return f, st.Size(), nil
	}}}
}

// zipItems lists a zip's submissions. Entries are read straight from the
// archive when graded: an entry with an absolute path or a ".." is refused by
// name, a nested zip is refused, and sizes are checked against what the
// entry claims and against what it really expands to.
func zipItems(p string) []*Item {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return []*Item{{ID: idOf(p), File: p, Kind: "go", Err: fmt.Errorf("not a readable zip archive: %v", err)}}
	}
	// The archive stays open until the process ends: items read it lazily.
	var items []*Item
	var total uint64
	for _, f := range zr.File {
		name := f.Name
		if f.FileInfo().IsDir() || strings.HasSuffix(name, "/") {
			continue
		}
		clean := strings.ReplaceAll(name, "\\", "/")
		base := path.Base(clean)
		where := p + ":" + name
		if strings.Contains(clean, "__MACOSX/") || strings.HasPrefix(base, ".") {
			continue
		}
		isZip := strings.HasSuffix(strings.ToLower(base), ".zip")
		if !wanted(base) && !isZip {
			continue
		}
		it := &Item{ID: idOf(clean), File: where, Kind: kind(base)}
		items = append(items, it)
		switch {
		case unsafePath(clean):
			it.Err = fmt.Errorf("unsafe path in zip: %q (absolute or with ..); not extracted", name)
		case isZip:
			it.Err = errors.New("a zip inside a zip: unpack it and grade the inner archive")
		case f.Mode()&fs.ModeSymlink != 0:
			it.Err = errors.New("a symbolic link in the zip: not followed")
		case f.UncompressedSize64 > MaxSource:
			it.Err = fmt.Errorf("file is %s; the limit is %s", human(int64(min(f.UncompressedSize64, 1<<62))), human(MaxSource))
		case total+f.UncompressedSize64 > MaxZipTotal:
			it.Err = fmt.Errorf("the archive expands to more than %s: not read further", human(MaxZipTotal))
		default:
			total += f.UncompressedSize64
			f := f
			it.open = func() (io.ReadCloser, int64, error) {
				rc, err := f.Open()
				if err != nil {
					return nil, 0, fmt.Errorf("reading %s: %v", where, err)
				}
				// The size header may lie (a zip bomb): Read stops at
				// MaxSource+1 bytes whatever it says.
				return rc, int64(f.UncompressedSize64), nil
			}
		}
	}
	if len(items) == 0 {
		return []*Item{{ID: idOf(p), File: p, Kind: "go", Err: errors.New("the zip holds no .go or .ipynb file")}}
	}
	return items
}

func unsafePath(name string) bool {
	if strings.HasPrefix(name, "/") || filepath.IsAbs(name) || (len(name) > 1 && name[1] == ':') {
		return true
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return true
		}
	}
	return false
}

// unique makes ids unique: a repeated id gets "-2", "-3", … in order.
func unique(items []*Item) {
	seen := map[string]int{}
	for _, it := range items {
		seen[it.ID]++
		if n := seen[it.ID]; n > 1 {
			for {
				cand := fmt.Sprintf("%s-%d", it.ID, n)
				if seen[cand] == 0 {
					it.ID = cand
					seen[cand] = 1
					break
				}
				n++
			}
		}
	}
}
