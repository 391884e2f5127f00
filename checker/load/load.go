// Package load finds the submissions in the paths an instructor gives:
// .go files, Jupyter notebooks (.ipynb), folders of those and .zip archives
// of those. One file is one submission; its id is the file name without the
// extension (see ids.go for how ids are kept unambiguous and printable).
//
// Files are read only when graded (Item.Read), with a size limit, and
// opened only for that read, so a batch's memory and open files do not grow
// with its size. Bad files are not errors of the batch: each becomes an
// item whose Read fails with a message for the gradebook. Nothing in a zip
// is ever written to disk, and nothing on disk can block a read (a file
// swapped for a FIFO is refused, not waited on).
package load

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
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

// MaxZipEntries bounds the entries of one zip (a class is hundreds), and
// MaxItems the submissions of one batch.
const (
	MaxZipEntries = 20_000
	MaxItems      = 100_000
)

// MaxText bounds one written answer found in a notebook's markdown.
const MaxText = 16 << 10

// Item is one submission, not yet read.
type Item struct {
	ID   string // file name without extension, printable, unambiguous in the batch
	File string // where it came from: a path, or "archive.zip:dir/name.go" (printable)
	Kind string // "go" or "ipynb"
	// Warning says what about the id a person should look at: another file
	// claims the same (or a look-alike) id, or it mixes alphabets.
	Warning string
	where   string // File relative to the argument it was found under, for ids
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
	// SHA256 is the hex SHA-256 of the file's bytes, so that a grade can be
	// tied to exactly what was graded.
	SHA256 string
}

// Read reads and checks the item's file: size, text, notebook JSON. Once
// the file has been read, an error comes with a Submission that holds only
// its SHA256.
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
	sum := sha256.Sum256(b)
	hash := hex.EncodeToString(sum[:])
	sub, err := parse(b, it.Kind)
	if sub == nil {
		sub = &Submission{}
	}
	sub.SHA256 = hash
	return sub, err
}

func parse(b []byte, kind string) (*Submission, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, errors.New("empty file")
	}
	if !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		return nil, errors.New("not a text file (binary data or not UTF-8)")
	}
	if kind == "ipynb" {
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
		Metadata struct {
			Adagradlab struct {
				Role    string `json:"role"`    // "solution": an answer cell of the course's notebooks
				Starter string `json:"starter"` // what release put in the learner's copy
			} `json:"adagradlab"`
		} `json:"metadata"`
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
	// In the course's own notebooks the answer cells are marked: only
	// they are answers (not the exercise's heading and statement above).
	marked := false
	for _, c := range nb.Cells {
		marked = marked || c.CellType == "markdown" && c.Metadata.Adagradlab.Role == "solution"
	}
	for i, c := range nb.Cells {
		src, err := cellSource(c.Source)
		if err != nil {
			return nil, fmt.Errorf("invalid notebook: cell %d: %v", i+1, err)
		}
		switch c.CellType {
		case "code":
			s.Cells = append(s.Cells, src)
		case "markdown":
			if marked && c.Metadata.Adagradlab.Role != "solution" {
				continue
			}
			// Still what release put there: not answered.
			if st := c.Metadata.Adagradlab.Starter; st != "" && strings.TrimSpace(src) == strings.TrimSpace(st) {
				continue
			}
			if m := textHeading.FindStringSubmatch(src); m != nil {
				id := strings.ToLower(m[1])
				t := strings.TrimSpace(strings.TrimSpace(s.Texts[id]) + "\n" + strings.TrimSpace(src[len(m[0]):]))
				if len(t) > MaxText {
					t = clipText(t, MaxText)
				}
				s.Texts[id] = t
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

// Paths lists the submissions under the given paths, in order, with
// unambiguous ids. An error is returned only for a path that does not exist
// or cannot be listed, or a batch over MaxItems; bad files become items
// whose Read fails.
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
				if len(files) > MaxItems {
					return fmt.Errorf("more than %d files to grade", MaxItems)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
			sort.Strings(files)
			for _, f := range files {
				rel, err := filepath.Rel(p, f)
				if err != nil {
					rel = filepath.Base(f)
				}
				items = append(items, fileItems(f, filepath.ToSlash(rel))...)
			}
		default:
			items = append(items, fileItems(p, p)...)
		}
		if len(items) > MaxItems {
			return nil, fmt.Errorf("more than %d submissions in one batch: split it", MaxItems)
		}
	}
	assignIDs(items)
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

func baseName(name string) string {
	base := path.Base(filepath.ToSlash(name))
	return strings.TrimSuffix(base, path.Ext(base))
}

func newItem(file, where, name string) *Item {
	return &Item{File: Printable(file), where: Printable(where), ID: baseName(name), Kind: kind(name)}
}

func fileItems(p, where string) []*Item {
	it := newItem(p, where, p)
	st, err := os.Lstat(p)
	switch {
	case err != nil:
		it.Err = err
	case st.Mode()&fs.ModeSymlink != 0:
		it.Err = errors.New("a symbolic link: not followed")
	case !st.Mode().IsRegular():
		it.Err = errors.New("not a regular file")
	case strings.HasSuffix(strings.ToLower(p), ".zip"):
		return zipItems(p, where, st)
	default:
		it.open = func() (io.ReadCloser, int64, error) {
			f, st, err := openRegular(p)
			if err != nil {
				return nil, 0, err
			}
			return f, st.Size(), nil
		}
	}
	return []*Item{it}
}

// openRegular opens a file for reading without ever blocking: a path that
// became a FIFO, a device or a link since it was listed is refused.
func openRegular(p string) (*os.File, os.FileInfo, error) {
	fd, err := syscallOpen(p)
	if err != nil {
		return nil, nil, err
	}
	f := os.NewFile(uintptr(fd), p)
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, errors.New("not a regular file (it changed since it was listed)")
	}
	return f, st, nil
}

// zipEntry is what reading one entry needs, kept so that the archive is
// open only while an entry is read: a batch of 300 zips holds no
// descriptor between reads.
type zipEntry struct {
	offset           int64 // of the entry's data
	method           uint16
	compressed, size uint64
	crc              uint32
}

// zipItems lists a zip's submissions. An entry with an absolute path or a
// ".." is refused by name, a nested zip is refused, and sizes are checked
// against what the entry claims and against what it really expands to.
func zipItems(p, where string, listed os.FileInfo) []*Item {
	bad := func(err error) []*Item {
		it := newItem(p, where, p)
		it.Kind, it.Err = "go", err
		return []*Item{it}
	}
	f, st, err := openRegular(p)
	if err != nil {
		return bad(err)
	}
	defer f.Close()
	if n, err := zipEntryCount(f, st.Size()); err == nil && n > MaxZipEntries {
		return bad(fmt.Errorf("the archive has %d entries; the limit is %d", n, MaxZipEntries))
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		return bad(fmt.Errorf("not a readable zip archive: %v", err))
	}
	if len(zr.File) > MaxZipEntries {
		return bad(fmt.Errorf("the archive has %d entries; the limit is %d", len(zr.File), MaxZipEntries))
	}
	var items []*Item
	var total uint64
	for _, zf := range zr.File {
		name := zf.Name
		if zf.FileInfo().IsDir() || strings.HasSuffix(name, "/") {
			continue
		}
		clean := strings.ReplaceAll(name, "\\", "/")
		base := path.Base(clean)
		if strings.Contains(clean, "__MACOSX/") || strings.HasPrefix(base, ".") {
			continue
		}
		isZip := strings.HasSuffix(strings.ToLower(base), ".zip")
		if !wanted(base) && !isZip {
			continue
		}
		it := newItem(p+":"+name, where+":"+name, clean)
		items = append(items, it)
		switch {
		case unsafePath(clean):
			it.Err = fmt.Errorf("unsafe path in zip: %q (absolute or with ..); not extracted", Printable(name))
		case isZip:
			it.Err = errors.New("a zip inside a zip: unpack it and grade the inner archive")
		case zf.Mode()&fs.ModeSymlink != 0:
			it.Err = errors.New("a symbolic link in the zip: not followed")
		case zf.UncompressedSize64 > MaxSource:
			it.Err = fmt.Errorf("file is %s; the limit is %s", human(int64(min(zf.UncompressedSize64, 1<<62))), human(MaxSource))
		case total+zf.UncompressedSize64 > MaxZipTotal:
			it.Err = fmt.Errorf("the archive expands to more than %s: not read further", human(MaxZipTotal))
		case zf.Method != zip.Store && zf.Method != zip.Deflate:
			it.Err = fmt.Errorf("compressed with method %d; only stored and deflated entries are read", zf.Method)
		default:
			off, err := zf.DataOffset()
			if err != nil {
				it.Err = fmt.Errorf("reading %s: %v", it.File, err)
				continue
			}
			total += zf.UncompressedSize64
			e := zipEntry{offset: off, method: zf.Method, compressed: zf.CompressedSize64, size: zf.UncompressedSize64, crc: zf.CRC32}
			file := it.File
			it.open = func() (io.ReadCloser, int64, error) { return e.open(p, listed, file) }
		}
	}
	if len(items) == 0 {
		return bad(errors.New("the zip holds no .go or .ipynb file"))
	}
	return items
}

// open reads one entry: the archive is opened again (it must still be the
// file that was listed), the entry's bytes are inflated and checked against
// its CRC. The size header may lie (a zip bomb): Read stops at MaxSource+1
// bytes whatever it says.
func (e zipEntry) open(p string, listed os.FileInfo, where string) (io.ReadCloser, int64, error) {
	f, st, err := openRegular(p)
	if err != nil {
		return nil, 0, err
	}
	if !os.SameFile(st, listed) {
		f.Close()
		return nil, 0, errors.New("the archive changed since it was listed")
	}
	var r io.Reader = io.NewSectionReader(f, e.offset, int64(min(e.compressed, 1<<62)))
	var inflate io.ReadCloser
	if e.method == zip.Deflate {
		inflate = flate.NewReader(r)
		r = inflate
	}
	return &entryReader{r: r, f: f, inflate: inflate, crc: crc32.NewIEEE(), want: e.crc, where: where, left: int64(min(e.size, 1<<62))}, int64(e.size), nil
}

// entryReader checks the CRC at the end of an entry, as archive/zip does.
type entryReader struct {
	r       io.Reader
	f       *os.File
	inflate io.ReadCloser
	crc     hash.Hash32
	want    uint32
	where   string
	left    int64 // what the header says is still to come
}

func (e *entryReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	e.crc.Write(p[:n])
	if e.left -= int64(n); e.left < 0 {
		return n, fmt.Errorf("reading %s: the entry is longer than its header says (a zip bomb?)", e.where)
	}
	if err == io.EOF && e.want != 0 && e.crc.Sum32() != e.want {
		return n, fmt.Errorf("reading %s: the entry is damaged (checksum)", e.where)
	}
	if err != nil && err != io.EOF {
		err = fmt.Errorf("reading %s: %v", e.where, err)
	}
	return n, err
}

func (e *entryReader) Close() error {
	if e.inflate != nil {
		e.inflate.Close()
	}
	return e.f.Close()
}

// zipEntryCount reads the entry count from the end of an archive (its
// end-of-central-directory record, or the zip64 one) without reading the
// directory itself, so that a zip of a million entries costs nothing.
func zipEntryCount(f io.ReaderAt, size int64) (uint64, error) {
	const eocdLen, maxComment = 22, 65535
	n := min(size, eocdLen+maxComment)
	buf := make([]byte, n)
	if _, err := f.ReadAt(buf, size-n); err != nil && err != io.EOF {
		return 0, err
	}
	i := bytes.LastIndex(buf, []byte("PK\x05\x06"))
	if i < 0 || len(buf)-i < eocdLen {
		return 0, errors.New("no end of central directory")
	}
	count := uint64(binary.LittleEndian.Uint16(buf[i+10:]))
	if count != 0xffff {
		return count, nil
	}
	// zip64: a locator just before the record points at the zip64 record.
	if i < 20 || string(buf[i-20:i-16]) != "PK\x06\x07" {
		return count, nil
	}
	off := int64(binary.LittleEndian.Uint64(buf[i-20+8:]))
	rec := make([]byte, 56)
	if off < 0 || off > size-56 {
		return 0, errors.New("a bad zip64 locator")
	}
	if _, err := f.ReadAt(rec, off); err != nil {
		return 0, err
	}
	if string(rec[:4]) != "PK\x06\x06" {
		return 0, errors.New("a bad zip64 record")
	}
	return binary.LittleEndian.Uint64(rec[32:]), nil
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
