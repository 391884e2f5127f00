package report

import (
	"encoding/csv"
	"errors"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/adagradlab/adagradlab/checker/result"
)

// Canvas's "Download Submissions" names each file
// studentname[_LATE]_userid_submissionid_original.ext: the user id is what
// its gradebook import matches a row by.
var canvasName = regexp.MustCompile(`^([a-z0-9-]+?)(?:_late)?_([0-9]+)_[0-9]+_`)

// CanvasUser reads the student's name part and Canvas user id from the
// name Canvas gave a downloaded submission; ok is false for any other name.
func CanvasUser(file string) (student, id string, ok bool) {
	base := path.Base(strings.ReplaceAll(file, "\\", "/"))
	if i := strings.LastIndex(base, ":"); i >= 0 { // an entry of a zip: "class.zip:dir/name"
		base = path.Base(base[i+1:])
	}
	m := canvasName.FindStringSubmatch(strings.ToLower(base))
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// CanvasCSV writes a gradebook that Canvas imports ("Grades → Import"):
// the columns Student, ID, SIS User ID, SIS Login ID, Section, then one
// column for the assignment, titled as in Canvas ("Adagrad exercises
// (1234)" with the assignment's id updates that assignment; a new title
// creates one). Rows are matched by ID, the Canvas user id read from each
// file's Canvas download name; a submission without one gets an empty ID
// (Canvas lists it as unmatched) and is counted in the result.
func CanvasCSV(w io.Writer, src Source, assignment string) (unmatched int, err error) {
	cw := csv.NewWriter(w)
	cw.Write([]string{"Student", "ID", "SIS User ID", "SIS Login ID", "Section", csvSafe(assignment)})
	// Canvas reads the second row as points possible.
	cw.Write([]string{"Points Possible", "", "", "", "", strconv.Itoa(maxOf(src))})
	err = src.Each(func(s result.Submission) error {
		student, id, ok := CanvasUser(s.File)
		if !ok {
			unmatched++
			student = s.ID
		}
		return cw.Write([]string{csvSafe(student), id, "", "", "", strconv.Itoa(s.Score)})
	})
	if err != nil {
		return unmatched, err
	}
	cw.Flush()
	return unmatched, cw.Error()
}

// maxOf is the points a submission can earn in this report's questions:
// every submission has the same (each question gets a verdict with its
// points, graded or not), so the first one says it.
func maxOf(src Source) int {
	m := 0
	src.Each(func(s result.Submission) error {
		m = s.Max
		return errFirstRead
	})
	return m
}

var errFirstRead = errors.New("read the first submission")
