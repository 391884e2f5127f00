// Package result holds the checker's verdicts: the types the judge computes,
// the reports are written from, and the kernel's %check shows.
package result

// Status is a question's verdict. The six values are the whole vocabulary:
// reports, the gradebook and the notebook card all use them verbatim.
type Status string

const (
	Passed  Status = "passed"  // full marks
	Partial Status = "partial" // some of the graded parts passed
	Failed  Status = "failed"  // the code ran and no graded part passed
	Error   Status = "error"   // does not compile, missing function, forbidden import, bad file
	Timeout Status = "timeout" // a time limit was hit (named in the feedback)
	Crashed Status = "crashed" // the code panicked or hit a memory, stack, CPU or output limit (named)
)

// Statuses lists every status in the order summaries print them.
var Statuses = []Status{Passed, Partial, Failed, Error, Timeout, Crashed}

// Question is one question's verdict for one submission.
type Question struct {
	ID       string   `json:"id"`
	Score    int      `json:"score"`
	Max      int      `json:"max"`
	Status   Status   `json:"status"`
	Feedback []string `json:"feedback"`
	// Text is the free-text part of the answer (the QnText constant). It is
	// not scored; Review says what the instructor should do with it.
	Text   string `json:"text,omitempty"`
	Review string `json:"review,omitempty"`
}

// Submission is one learner file's verdict.
type Submission struct {
	ID        string     `json:"id"`
	File      string     `json:"file"`
	Score     int        `json:"score"`
	Max       int        `json:"max"`
	Error     string     `json:"error,omitempty"`   // the file could not be graded at all
	Warning   string     `json:"warning,omitempty"` // about the id: shared with another file, mixed alphabets
	SHA256    string     `json:"sha256,omitempty"`  // of the file's bytes; absent when it could not be read
	Questions []Question `json:"questions"`
}

// Report is a whole grading run. It holds no time stamps or durations, so the
// same submissions graded with the same seed give the same bytes.
type Report struct {
	Seed uint64 `json:"seed"`
	// Version is the grading binary's (its module version and VCS revision,
	// as the Go toolchain recorded them) and Go the toolchain that built it:
	// with the seed and each submission's SHA256, what re-derives a grade.
	Version string `json:"version"`
	Go      string `json:"go"`
	// Isolation is the jail the workers had: "seccomp+userns+landlock+rlimits"
	// or what was really applied (checker/jail).
	Isolation string   `json:"isolation"`
	Questions []string `json:"questions"`
	TimeoutMS int64    `json:"timeout_ms"`
	// Shard is set on the report of one shard of a batch (check --shard).
	Shard       *Shard       `json:"shard,omitempty"`
	Submissions []Submission `json:"submissions"`
}

// NeedsReview is the Review value of a question that has a free-text answer.
const NeedsReview = "needs review"

// Of returns the status a score earns when the code ran to the end.
func Of(score, max int) Status {
	switch {
	case score >= max:
		return Passed
	case score > 0:
		return Partial
	default:
		return Failed
	}
}

// Total adds the questions' scores and maxima into s.
func (s *Submission) Total() {
	s.Score, s.Max = 0, 0
	for _, q := range s.Questions {
		s.Score += q.Score
		s.Max += q.Max
	}
}

// Head is the report without its submissions. With Len and Each, a Report
// in memory is a source for the report writers, as a spooled batch is.
func (r *Report) Head() Report {
	h := *r
	h.Submissions = nil
	return h
}

// Len is the number of submissions.
func (r *Report) Len() int { return len(r.Submissions) }

// Each calls f with every submission in order.
func (r *Report) Each(f func(Submission) error) error {
	for _, s := range r.Submissions {
		if err := f(s); err != nil {
			return err
		}
	}
	return nil
}

// Shard says which part of a batch a report holds: of the batch's Of
// submissions, in the order the checker lists them, those whose index i
// has i mod N = K-1.
type Shard struct {
	K  int `json:"k"`
	N  int `json:"n"`
	Of int `json:"of"`
}
