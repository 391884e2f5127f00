package checker

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/adagradlab/adagradlab/checker/result"
)

// Batch is a graded batch. Its submissions are spooled to a temporary file
// as they are graded, not kept in memory, so that a batch's memory does not
// grow with its size; the report writers (checker/report) read them back
// one at a time, in the order of the input. Close removes the spool.
type Batch struct {
	head result.Report // no submissions
	mu   sync.Mutex
	f    *os.File
	at   []int64 // offset of each submission's line; -1 until graded
	end  int64
}

func newBatch(head result.Report, n int) (*Batch, error) {
	f, err := os.CreateTemp("", "adagradlab-check-*.jsonl")
	if err != nil {
		return nil, fmt.Errorf("spooling the report: %w", err)
	}
	os.Remove(f.Name()) // nothing is left behind, however the process ends (Unix)
	at := make([]int64, n)
	for i := range at {
		at[i] = -1
	}
	return &Batch{head: head, f: f, at: at}, nil
}

// put spools submission i.
func (b *Batch) put(i int, s result.Submission) error {
	line, err := json.Marshal(s)
	if err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, err := b.f.WriteAt(append(line, '\n'), b.end); err != nil {
		return fmt.Errorf("spooling the report: %w", err)
	}
	b.at[i] = b.end
	b.end += int64(len(line)) + 1
	return nil
}

// Head is the report without its submissions.
func (b *Batch) Head() result.Report { return b.head }

// Len is the number of submissions.
func (b *Batch) Len() int { return len(b.at) }

// Each calls f with every submission in order, reading them back from the
// spool one at a time.
func (b *Batch) Each(f func(result.Submission) error) error {
	b.mu.Lock()
	at, end := append([]int64(nil), b.at...), b.end
	b.mu.Unlock()
	for i, off := range at {
		if off < 0 {
			return fmt.Errorf("submission %d was not graded", i+1)
		}
		next := end
		// The line ends where the next one starts, whichever that is.
		r := bufio.NewReader(io.NewSectionReader(b.f, off, next-off))
		line, err := r.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		var s result.Submission
		if err := json.Unmarshal(line, &s); err != nil {
			return fmt.Errorf("reading the report spool: %w", err)
		}
		if err := f(s); err != nil {
			return err
		}
	}
	return nil
}

// Collect reads the whole report into memory (for small batches and tests).
func (b *Batch) Collect() (*result.Report, error) {
	r := b.head
	r.Submissions = make([]result.Submission, 0, b.Len())
	err := b.Each(func(s result.Submission) error {
		r.Submissions = append(r.Submissions, s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// Close removes the spool.
func (b *Batch) Close() error { return b.f.Close() }
