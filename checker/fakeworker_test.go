package checker

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/adagradlab/adagradlab/checker/protocol"
	"github.com/adagradlab/adagradlab/checker/result"
	"github.com/adagradlab/adagradlab/checker/synth"
)

// A worker taken over by the code it runs can write anything on its pipe.
// These fake workers (shell scripts standing for a compromised worker) say
// hello, as a real one does before it reads any learner code, and then
// misbehave; every one ends in a crashed or failed verdict, never a score
// it did not earn, and never a stalled or stopped batch.
func TestCompromisedWorkerReplies(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	hello := `printf '{"hello":{"protocol":"` + protocol.Version + `","layers":[]}}\n' >&3; read -r line; `
	funcs := `{"loaded":{"funcs":{"FirstStepLR":"func(float64, float64, float64) float64","FirstStepRatio":"func(float64) float64"}}}`
	cases := []struct {
		name, script string
		status       result.Status
		says         string
	}{
		{"a reply over the limit", hello + `head -c 2097152 /dev/zero | tr '\0' a >&3; echo >&3; sleep 5`,
			result.Crashed, "longer than 1024 KiB"},
		{"not JSON", hello + `echo 'passed 20/20' >&3; sleep 5`, result.Crashed, "not valid"},
		{"a verdict where values belong", hello + `echo '` + funcs + `' >&3; read -r line; echo '{"outs":[],"score":20,"status":"passed"}' >&3; sleep 5`,
			result.Crashed, "not valid"},
		{"too few results", hello + `echo '` + funcs + `' >&3; read -r line; echo '{"outs":[[1]]}' >&3; sleep 5`,
			result.Crashed, "results for"},
		{"values of the wrong type", hello + `echo '` + funcs + `' >&3; read -r line; echo '{"outs":[["x"],["x"],["x"],["x"],["x"],["x"],["x"],["x"],["x"],["x"],["x"],["x"]]}' >&3; sleep 5`,
			result.Crashed, "does not fit"},
		{"made-up numbers", hello + `echo '` + funcs + `' >&3; while read -r line; do n=$(printf '%s' "$line" | grep -o '\],\[' | wc -l); out='[0.5]'; i=0; while [ $i -lt $n ]; do out="$out,[0.5]"; i=$((i+1)); done; echo "{\"outs\":[$out]}" >&3; done`,
			result.Failed, "FirstStepLR("},
		{"an orphan holding the pipe", hello + `setsid sleep 30 </dev/null >/dev/null 2>&1 & exit 0`,
			result.Crashed, "the worker died"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newChecker(t, Options{Questions: []string{"q1"}, Worker: []string{"/bin/sh", "-c", tc.script}})
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			qs, err := c.Grade(ctx, Input{Source: synth.Correct()})
			if err != nil {
				t.Fatal(err)
			}
			q := qs[0]
			if q.Status != tc.status || q.Score != 0 || !strings.Contains(strings.Join(q.Feedback, "\n"), tc.says) {
				t.Errorf("%s %d/%d, want %s saying %q: %q", q.Status, q.Score, q.Max, tc.status, tc.says, q.Feedback)
			}
		})
	}
}
