package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/adagradlab/adagradlab/checker/result"
)

// The autograding platforms grade one submission per container and read one
// results file. These are theirs, made from one submission's verdicts:
// a test per question, its feedback as the test's output.

// gradescopeResults is Gradescope's results.json, the fields its
// autograder specification documents that we fill.
type gradescopeResults struct {
	Score            float64          `json:"score"`
	Output           string           `json:"output"`
	Visibility       string           `json:"visibility"`
	StdoutVisibility string           `json:"stdout_visibility"`
	Tests            []gradescopeTest `json:"tests"`
}

type gradescopeTest struct {
	Name       string  `json:"name"`
	Number     string  `json:"number"`
	Score      float64 `json:"score"`
	MaxScore   float64 `json:"max_score"`
	Status     string  `json:"status"` // "passed" or "failed"
	Output     string  `json:"output"`
	Visibility string  `json:"visibility"`
}

// Gradescope writes s as Gradescope's results.json. Every test is visible
// to the learner at once: the feedback is written for them.
func Gradescope(w io.Writer, head result.Report, s result.Submission) error {
	r := gradescopeResults{Score: float64(s.Score), Output: platformOutput(head, s), Visibility: "visible",
		StdoutVisibility: "hidden", Tests: []gradescopeTest{}}
	for _, q := range s.Questions {
		st := "failed"
		if q.Status == result.Passed {
			st = "passed"
		}
		r.Tests = append(r.Tests, gradescopeTest{Name: q.ID, Number: strings.TrimPrefix(q.ID, "q"),
			Score: float64(q.Score), MaxScore: float64(q.Max), Status: st, Output: questionOutput(q), Visibility: "visible"})
	}
	return writeJSON(w, r)
}

// prairieLearnResults is PrairieLearn's external grader results.json.
type prairieLearnResults struct {
	Gradable bool               `json:"gradable"`
	Score    float64            `json:"score"` // 0 … 1
	Message  string             `json:"message"`
	Output   string             `json:"output"`
	Tests    []prairieLearnTest `json:"tests"`
}

type prairieLearnTest struct {
	Name      string `json:"name"`
	Points    int    `json:"points"`
	MaxPoints int    `json:"max_points"`
	Message   string `json:"message"`
	Output    string `json:"output"`
}

// PrairieLearn writes s as PrairieLearn's external-grader results.json. A
// file that could not be read at all is not gradable (PrairieLearn then
// does not count it as an attempt), with the reason as its message.
func PrairieLearn(w io.Writer, head result.Report, s result.Submission) error {
	r := prairieLearnResults{Gradable: s.Error == "", Message: s.Error, Output: platformOutput(head, s), Tests: []prairieLearnTest{}}
	if s.Max > 0 {
		r.Score = float64(s.Score) / float64(s.Max)
	}
	for _, q := range s.Questions {
		r.Tests = append(r.Tests, prairieLearnTest{Name: q.ID, Points: q.Score, MaxPoints: q.Max,
			Message: firstOr(q.Feedback, ""), Output: questionOutput(q)})
	}
	return writeJSON(w, r)
}

// platformOutput is the submission's summary as the learner sees it on the
// platform, with what re-derives the grade.
func platformOutput(head result.Report, s result.Submission) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d/%d\n", s.File, s.Score, s.Max)
	if s.Error != "" {
		fmt.Fprintf(&b, "not graded: %s\n", s.Error)
	}
	fmt.Fprintf(&b, "seed %d · adagradlab %s, %s · isolation %s", head.Seed, head.Version, head.Go, head.Isolation)
	if s.SHA256 != "" {
		fmt.Fprintf(&b, " · SHA-256 %s", s.SHA256)
	}
	return b.String()
}

func questionOutput(q result.Question) string {
	out := strings.Join(q.Feedback, "\n")
	if q.Review != "" {
		out += "\n(the written answer is read by a person: " + q.Review + ")"
	}
	return out
}

func firstOr(xs []string, or string) string {
	if len(xs) > 0 {
		return xs[0]
	}
	return or
}

func writeJSON(w io.Writer, v any) error {
	b, err := marshal(v, "")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
