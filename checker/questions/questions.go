// Package questions holds the tests of the five exercises (exercises/q1..q5):
// the judge. They run in the grading process, never in the worker: the
// learner's code is reached through Code, whose calls cross to the jailed
// worker and bring back only values, which the tests draw and check here
// against the reference (pkg/adagrad). Whatever the worker sends, a score
// is only ever earned by values a correct answer would give.
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
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/adagradlab/adagradlab/checker/result"
)

// Code is the learner's code as the judge reaches it: every call is a
// round trip to a process the judge does not trust, and an error other than
// a *Panic means that process is gone (the question stops there).
type Code interface {
	// Type is the type of the learner's top-level name as Go prints it
	// ("func(float64) float64"), "" when there is no such name.
	Type(name string) string
	// Call calls name once per argument list, in order, in one round trip,
	// and returns each call's results. With back, the arguments are written
	// back as the calls left them (a function may write into its slices).
	// A call that panics ends the batch: the results before it come back
	// with a *Panic.
	Call(name string, typ reflect.Type, calls [][]reflect.Value, back bool, deadline time.Time) ([][]reflect.Value, error)
	// Fold computes x ← name(x, y) for each y and returns every x.
	Fold(name string, typ reflect.Type, init reflect.Value, ys []reflect.Value, deadline time.Time) ([]reflect.Value, error)
	// Table makes a sparse table of rows rows of width dim in which only
	// the listed rows hold values (w, g: row after row), kept where the code
	// runs, so that it never crosses; Update calls name, a SparseUpdate, on
	// table id with gradients for its listed rows and returns those rows
	// after the call, and the rows it replaced rather than wrote into.
	// Drop frees the tables.
	Table(id, rows, dim int, list []int, w, g []float64) error
	Update(id int, name string, list []int, grads []float64, eta, eps float64, deadline time.Time) (w, g []float64, replaced []int, err error)
	Drop() error
}

// Panic is a call of the learner's code that panicked.
type Panic struct {
	At  int // the call's index in its batch
	Msg string
}

func (p *Panic) Error() string { return "panicked: " + clip(p.Msg) }

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

// Funcs lists every function the questions ids call.
func Funcs(ids []string) []string {
	var out []string
	for _, id := range ids {
		if q := ByID(id); q != nil {
			out = append(out, q.Funcs...)
		}
	}
	return out
}

var all = []*Question{q1, q2, q3, q4, q5}

// T is the state of one question's run: its random source, its score so far
// and the feedback lines.
type T struct {
	q        *Question
	seed     uint64
	prep     *Prepared
	rng      *rand.Rand
	code     Code
	types    map[string]reflect.Type // the functions fn found, by name
	deadline time.Time

	score      int
	feedback   []string
	missing    bool
	missingWhy string // what fn found wrong, for the skip that follows
	parts      int
	panics     int
	abandon    bool
}

// Prepared is what grading a seed's questions needs that does not depend on
// the answer, computed once per grading run (Prepare). A missing part is
// computed when needed.
type Prepared struct {
	Q5 *Q5State `json:"q5,omitempty"`

	q5memo *q5Memo // shared by every answer graded with this seed; nil: none
}

// Prepare computes the Prepared data of the questions ids for seed.
func Prepare(seed uint64, ids []string) *Prepared {
	p := &Prepared{}
	for _, id := range ids {
		if id == "q5" {
			p.Q5, p.q5memo = q5Prepare(seed), newQ5Memo()
		}
	}
	return p
}

// gone carries, through the test's own code, the error of a Code whose
// process is gone; Run turns it back into an error.
type gone struct{ err error }

// Run grades q against the learner's code; prep may be nil. deadline is when
// the question's time is up: every call must be back by then. A non-nil
// error means the worker was lost during the question (it died, hung, or
// sent what it may not): the verdict is then the caller's to give, from
// what it saw of the process. Abandon reports that the worker is no longer
// fit for another question (a call was given up on).
func Run(q *Question, seed uint64, prep *Prepared, code Code, deadline time.Time) (res result.Question, abandon bool, err error) {
	if prep == nil {
		prep = &Prepared{}
	}
	t := &T{q: q, seed: seed, prep: prep, rng: newRand(seed, q.ID), code: code, types: map[string]reflect.Type{}, deadline: deadline}
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if g, ok := r.(gone); ok {
			res, abandon, err = result.Question{}, true, g.err
			return
		}
		// The judge's own code failed on this answer: a bug of ours, which
		// must cost the learner nothing and stop nothing else.
		res = result.Question{ID: q.ID, Max: q.Max, Status: result.Error,
			Feedback: []string{fmt.Sprintf("the checker itself failed on this answer (a bug in the checker, please report it): %v", r)}}
		abandon, err = true, nil
	}()
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
	return res, t.abandon, nil
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
// names it and shows the signature wanted. The F it returns calls across
// to the learner's code, one round trip a call, writing back what the call
// wrote into its slice arguments; a panic there panics here.
func fn[F any](t *T, name string) (F, bool) {
	var zero F
	want := reflect.TypeFor[F]()
	sig := strings.TrimPrefix(want.String(), "func")
	// Said once, in the line of the part it costs (skip).
	switch got := t.code.Type(name); {
	case got == "":
		t.missing = true
		t.missingWhy = fmt.Sprintf("missing function %s: define func %s%s", name, name, sig)
		return zero, false
	case got != want.String():
		t.missing = true
		if strings.HasPrefix(got, "func") {
			t.missingWhy = fmt.Sprintf("%s has type %s, want func%s", name, got, sig)
		} else {
			t.missingWhy = fmt.Sprintf("%s is not a function (%s): define func %s%s", name, strings.TrimPrefix(got, "not a function: "), name, sig)
		}
		return zero, false
	}
	t.types[name] = want
	proxy := reflect.MakeFunc(want, func(args []reflect.Value) []reflect.Value {
		outs := t.calls(name, [][]reflect.Value{args}, true)
		return outs[0]
	})
	return proxy.Interface().(F), true
}

// calls makes a batch of calls of the learner's name (found by fn). A panic
// of the learner's code panics here with errPanic: a part that meets one
// fails as a whole, as it would calling the code directly.
func (t *T) calls(name string, args [][]reflect.Value, back bool) [][]reflect.Value {
	outs, err := t.code.Call(name, t.types[name], args, back, t.deadline)
	t.check(err)
	return outs
}

// check panics with what err is: the learner's panic (errPanic, which
// fails the part) or a lost worker (gone, which ends the question).
func (t *T) check(err error) {
	var p *Panic
	switch {
	case err == nil:
	case errors.As(err, &p):
		panic(errPanic{p.Msg})
	default:
		panic(gone{err})
	}
}

// each calls name on each argument list in one round trip and returns each
// call's first result.
func each[R any](t *T, name string, args ...[]any) []R {
	calls := make([][]reflect.Value, len(args))
	for i, a := range args {
		calls[i] = make([]reflect.Value, len(a))
		for j, x := range a {
			calls[i][j] = reflect.ValueOf(x)
		}
	}
	outs := t.calls(name, calls, false)
	res := make([]R, len(outs))
	for i, o := range outs {
		res[i] = o[0].Interface().(R)
	}
	return res
}

// fold computes x ← name(x, y) for each y in one round trip and returns
// every x.
func fold[X, Y any](t *T, name string, init X, ys []Y) []X {
	vs := make([]reflect.Value, len(ys))
	for i, y := range ys {
		vs[i] = reflect.ValueOf(y)
	}
	outs, err := t.code.Fold(name, t.types[name], reflect.ValueOf(init), vs, t.deadline)
	t.check(err)
	res := make([]X, len(outs))
	for i, o := range outs {
		res[i] = o.Interface().(X)
	}
	return res
}

// errPanic marks a part whose learner code panicked.
type errPanic struct{ msg string }

func (e errPanic) Error() string { return "panicked: " + clip(e.msg) }

func (g gone) Error() string { return g.err.Error() }

// Clip shortens text that came from the learner's code, or from the worker
// that runs it, to max bytes on a character boundary, saying how long it
// was; invalid UTF-8 becomes U+FFFD.
func Clip(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%d bytes)", len(s))
}

// clip shortens text that came from the learner's code (a panic value, a
// returned string) before it goes into the feedback.
func clip(s string) string { return Clip(s, 200) }

// part runs one graded part: points if check returns nil.
func (t *T) part(points int, name string, check func() error) bool {
	t.parts++
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				switch r := r.(type) {
				case gone:
					err = r
				case errPanic:
					err = r
				default: // the judge's own code: a bug, not the learner's
					panic(r)
				}
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
	if g, ok := err.(gone); ok {
		panic(g)
	}
	t.notef("not yet: %s (0/%d): %v", name, points, err)
	return false
}

// skip records a part that could not run because a function is missing.
func (t *T) skip(points int, name, why string) {
	t.parts++
	if why == "the function is missing" && t.missingWhy != "" {
		why, t.missingWhy = t.missingWhy, ""
	}
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

// apart formats got and want with the fewest digits (six at least) that
// tell them apart, so that feedback never reads "= 0.190291, want 0.190291".
func apart(got, want float64) (string, string) {
	for p := 6; p < 17; p++ {
		a, b := strconv.FormatFloat(got, 'g', p, 64), strconv.FormatFloat(want, 'g', p, 64)
		if a != b || got == want {
			return a, b
		}
	}
	return g17(got), g17(want)
}

// g17 formats a float with every digit it needs to be told apart from any
// other.
func g17(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
