package checker

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"strings"

	"github.com/adagradlab/adagradlab/checker/questions"
	"github.com/adagradlab/adagradlab/checker/result"
	"github.com/adagradlab/adagradlab/exercises"
)

// A learner who runs %check before writing anything should read "not yet
// answered", not a list of wrong values. untouched finds the questions whose
// functions all still have the starter's bodies (comments and layout aside).

// funcBodies maps each top-level function in src to its body, printed
// without comments; sources that do not parse contribute nothing.
func funcBodies(srcs []string, into map[string]string) {
	for _, src := range srcs {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "", src, 0) // no comments kept
		if err != nil {                              // a cell: declarations without a package clause
			f, err = parser.ParseFile(fset, "", "package answers\n"+src, 0)
		}
		if err != nil {
			continue
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Body == nil {
				continue
			}
			var b bytes.Buffer
			if format.Node(&b, fset, fn.Body) == nil {
				into[fn.Name.Name] = b.String() // a later definition wins, as in a notebook
			}
		}
	}
}

var starterBodies = func() map[string]string {
	m := map[string]string{}
	for _, id := range exercises.IDs {
		funcBodies([]string{exercises.Starter(id)}, m)
	}
	return m
}()

// untouched reports whether every function of question id in the learner's
// code still has the starter's body.
func untouched(id string, learner map[string]string) bool {
	q := questions.ByID(id)
	if q == nil || len(q.Funcs) == 0 {
		return false
	}
	for _, name := range q.Funcs {
		body, ok := learner[name]
		if !ok || body != starterBodies[name] {
			return false
		}
	}
	return true
}

// markUntouched puts "not yet answered" first in the feedback of the
// questions the learner has not started. srcs are whole files, or notebook
// cells when cells is true.
func markUntouched(qs []result.Question, srcs []string, cells bool) {
	if cells {
		var chunks []string
		for _, s := range srcs {
			chunks = append(chunks, cellSources(s)...)
		}
		srcs = chunks
	}
	learner := map[string]string{}
	funcBodies(srcs, learner)
	for i := range qs {
		if qs[i].Status == result.Passed || !untouched(qs[i].ID, learner) {
			continue
		}
		names := strings.Join(questions.ByID(qs[i].ID).Funcs, ", ")
		qs[i].Feedback = append([]string{"not yet answered: " + names + " still hold the starter's code"}, qs[i].Feedback...)
	}
}
