package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/adagradlab/adagradlab/checker/result"
)

// The fields each platform documents for its results.json, with the JSON
// kind of each; a file we write has only these, of these kinds.
var (
	gsTopFields  = map[string]string{"score": "number", "execution_time": "number", "output": "string", "output_format": "string", "visibility": "string", "stdout_visibility": "string", "extra_data": "object", "tests": "array", "leaderboard": "array"}
	gsTestFields = map[string]string{"score": "number", "max_score": "number", "status": "string", "name": "string", "name_format": "string", "number": "string", "output": "string", "output_format": "string", "tags": "array", "visibility": "string", "extra_data": "object"}
	plTopFields  = map[string]string{"gradable": "bool", "score": "number", "format_errors": "object", "message": "string", "output": "string", "images": "array", "tests": "array"}
	plTestFields = map[string]string{"name": "string", "description": "string", "points": "number", "max_points": "number", "message": "string", "output": "string", "images": "array"}
)

func kind(v any) string {
	switch v.(type) {
	case float64:
		return "number"
	case string:
		return "string"
	case bool:
		return "bool"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "null"
}

func conform(t *testing.T, what string, obj map[string]any, fields map[string]string) {
	t.Helper()
	for k, v := range obj {
		want, ok := fields[k]
		if !ok {
			t.Errorf("%s: field %q is not in the platform's documentation", what, k)
		} else if kind(v) != want {
			t.Errorf("%s: %q is a %s, want a %s", what, k, kind(v), want)
		}
	}
}

func TestPlatformResults(t *testing.T) {
	head := result.Report{Seed: 3, Version: "v1", Go: "go1.26", Isolation: "seccomp"}
	good := result.Submission{ID: "alice", File: "alice.go", Score: 25, Max: 40, SHA256: "ab",
		Questions: []result.Question{
			{ID: "q1", Score: 20, Max: 20, Status: result.Passed, Feedback: []string{"ok: FirstStepLR (10/10)"}, Review: result.NeedsReview},
			{ID: "q4", Score: 5, Max: 20, Status: result.Partial, Feedback: []string{"not yet: SparseUpdate (0/5): …"}},
		}}
	bad := result.Submission{ID: "bob", File: "bob.go", Max: 40, Error: "empty file",
		Questions: []result.Question{{ID: "q1", Max: 20, Status: result.Error}, {ID: "q4", Max: 20, Status: result.Error}}}
	for _, s := range []result.Submission{good, bad} {
		var gs, pl bytes.Buffer
		if err := Gradescope(&gs, head, s); err != nil {
			t.Fatal(err)
		}
		if err := PrairieLearn(&pl, head, s); err != nil {
			t.Fatal(err)
		}
		var g, p map[string]any
		if err := json.Unmarshal(gs.Bytes(), &g); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(pl.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		conform(t, "gradescope", g, gsTopFields)
		conform(t, "prairielearn", p, plTopFields)
		sum := 0.0
		for _, x := range g["tests"].([]any) {
			tc := x.(map[string]any)
			conform(t, "gradescope test", tc, gsTestFields)
			sum += tc["score"].(float64)
		}
		for _, x := range p["tests"].([]any) {
			conform(t, "prairielearn test", x.(map[string]any), plTestFields)
		}
		if g["score"].(float64) != float64(s.Score) || sum != float64(s.Score) {
			t.Errorf("%s: gradescope score %v, tests sum to %v, want %d", s.ID, g["score"], sum, s.Score)
		}
		if want := float64(s.Score) / float64(s.Max); p["score"].(float64) != want || p["gradable"].(bool) != (s.Error == "") {
			t.Errorf("%s: prairielearn score %v gradable %v, want %v and %v", s.ID, p["score"], p["gradable"], want, s.Error == "")
		}
	}
}
