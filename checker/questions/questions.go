// Package questions holds the tests of the five exercises (exercises/q1..q5).
// They run inside the checker's worker process, against functions the
// interpreter found in a learner's code, and never in the parent.
//
// Every test input is drawn from a generator seeded with the grading run's
// seed and the question's id, so a run replays exactly with the same seed and
// an answer that hard-codes the examples of the README fails.
package questions

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/adagradlab/adagradlab/checker/result"
)

// Lookup finds a top-level name of the learner's code in the interpreter.
type Lookup func(name string) (reflect.Value, error)

// Question is one exercise's automatic part.
type Question struct {
	ID    string   // "q1" … "q5"
	Title string   // one line
	Max   int      // points
	Funcs []string // the functions it calls, in the order the README lists them
	run   func(t *T)
}

// All lists the five questions in order.
func All() []*Question { return all }

// ByID returns the question with that id, or nil.
func ByID(id string) *Question {
	for _, q := range all {
		if q.ID == id {
			return q
		}
	}
	return nil
}

// IDs are the question ids in order.
func IDs() []string {
	ids := make([]string, len(all))
	for i, q := range all {
		ids[i] = q.ID
	}
	return ids
}

var all = []*Question{q1, q2, q3, q4, q5}

// T is the state of one question's run: its random source, its score so far
// and the feedback lines.
type T struct {
	q        *Question
	seed     uint64
	prep     *Prepared
	rng      *rand.Rand
	lookup   Lookup
	deadline time.Time

	score    int
	feedback []string
	missing  bool
	parts    int
	panics   int
	abandon  bool
}

// Prepared is what grading a seed's questions needs that does not depend on
// the answer, computed once per grading run (Prepare) and sent to every
// worker. A missing part is computed by the worker itself.
type Prepared struct {
	Q5 *Q5State `json:"q5,omitempty"`
}

// Prepare computes the Prepared data of the questions ids for seed.
func Prepare(seed uint64, ids []string) *Prepared {
	p := &Prepared{}
	for _, id := range ids {
		if id == "q5" {
			p.Q5 = q5Prepare(seed)
		}
	}
	return p
}

// Run grades q against the learner's code; prep may be nil. deadline is when the worker will
// give up on the question; tests that time the learner's code use what is
// left of it. Abandon reports that a call of the learner's code is still
// running in the background, so the interpreter must not be used again.
func Run(q *Question, seed uint64, prep *Prepared, lookup Lookup, deadline time.Time) (res result.Question, abandon bool) {
	if prep == nil {
		prep = &Prepared{}
	}
	t := &T{q: q, seed: seed, prep: prep, rng: newRand(seed, q.ID), lookup: lookup, deadline: deadline}
	q.run(t)
	res = result.Question{ID: q.ID, Max: q.Max, Score: t.score, Feedback: t.feedback}
	switch {
	case t.missing:
		res.Status = result.Error
	case t.parts > 0 && t.panics == t.parts:
		res.Status = result.Crashed
	default:
		res.Status = result.Of(t.score, q.Max)
	}
	if res.Feedback == nil {
		res.Feedback = []string{}
	}
	return res, t.abandon
}

// newRand is question id's random source for a grading run's seed.
func newRand(seed uint64, id string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(id))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

func (t *T) notef(format string, args ...any) {
	t.feedback = append(t.feedback, fmt.Sprintf(format, args...))
}

// fn finds the learner's function name and checks its type. A missing or
// mistyped function makes the question's status error, with a message that
// names it and shows the signature wanted.
func fn[F any](t *T, name string) (F, bool) {
	var zero F
	want := reflect.TypeFor[F]()
	sig := strings.TrimPrefix(want.String(), "func")
	v, err := t.lookup(name)
	if err != nil || !v.IsValid() {
		t.missing = true
		t.notef("missing function %s: define func %s%s", name, name, sig)
		return zero, false
	}
	if !v.CanInterface() {
		t.missing = true
		t.notef("%s cannot be called: define func %s%s", name, name, sig)
		return zero, false
	}
	f, ok := v.Interface().(F)
	if !ok {
		t.missing = true
		t.notef("%s has type %s, want func%s", name, v.Type(), sig)
		return zero, false
	}
	return f, true
}

// errPanic marks a part whose learner code panicked.
type errPanic struct{ v any }

func (e errPanic) Error() string { return "panicked: " + clip(fmt.Sprint(e.v)) }

// Clip shortens text that came from the learner's code to a few hundred
// bytes, for messages.
func Clip(s string) string { return clip(s) }

// clip shortens text that came from the learner's code (a panic value, a
// returned string) before it goes into the feedback.
func clip(s string) string {
	const max = 200
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%d bytes)", len(s))
}

// part runs one graded part: points if check returns nil.
func (t *T) part(points int, name string, check func() error) bool {
	t.parts++
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = errPanic{r}
			}
		}()
		return check()
	}()
	if err == nil {
		t.score += points
		t.notef("ok: %s (%d/%d)", name, points, points)
		return true
	}
	if errors.As(err, new(errPanic)) {
		t.panics++
	}
	t.notef("not yet: %s (0/%d): %v", name, points, err)
	return false
}

// skip records a part that could not run because a function is missing.
func (t *T) skip(points int, name, why string) {
	t.parts++
	t.notef("not graded: %s (0/%d): %s", name, points, why)
}

// close reports whether got is within a relative tolerance of want.
func close(got, want, rel float64) bool {
	if math.IsNaN(got) || math.IsInf(got, 0) {
		return got == want
	}
	return math.Abs(got-want) <= rel*math.Max(math.Abs(want), 1e-300)
}

// uniform draws from [lo, hi).
func (t *T) uniform(lo, hi float64) float64 { return lo + (hi-lo)*t.rng.Float64() }

// logUniform draws from [lo, hi) evenly in log scale.
func (t *T) logUniform(lo, hi float64) float64 {
	return math.Exp(t.uniform(math.Log(lo), math.Log(hi)))
}

// sign is ±1 at random.
func (t *T) sign() float64 {
	if t.rng.IntN(2) == 0 {
		return -1
	}
	return 1
}

// remaining is the time left before the worker gives up on the question.
func (t *T) remaining() time.Duration { return time.Until(t.deadline) }

// g formats a float compactly for feedback.
func g(x float64) string { return fmt.Sprintf("%.6g", x) }
