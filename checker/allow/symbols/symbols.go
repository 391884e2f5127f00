// Package symbols holds the yaegi symbol tables of the standard-library
// packages graded code may import (allow.Packages), and nothing else: the
// jailed worker links only these, not yaegi's table of the whole standard
// library, which makes each worker start about 5 ms sooner (BENCHMARKS.md).
//
// The tables are made by `yaegi extract` with the line below: run
// `go generate ./checker/allow/...` after changing allow.Packages or the Go
// toolchain. TestTablesFresh fails when they are stale, TestSameAsAllowed
// when the list differs from allow.Packages. cmp, maps and slices are
// generic: yaegi compiles them from source, and their tables here hold only
// what is not generic.
package symbols

import (
	"fmt"
	"reflect"
)

//go:generate go run github.com/traefik/yaegi/cmd/yaegi extract -name symbols cmp container/heap container/list errors fmt maps math math/bits math/cmplx math/rand math/rand/v2 slices sort strconv strings unicode unicode/utf8

// Symbols is filled by the generated files' init functions: import path and
// package name ("math/rand/v2/rand") to exported symbol.
var Symbols = map[string]map[string]reflect.Value{}

// MapTypes tells yaegi which interfaces a value passed to these functions
// may implement, so that an interpreted type's String or Format method is
// seen by fmt (yaegi's own stdlib keeps the same table).
var MapTypes = map[reflect.Value][]reflect.Type{}

func init() {
	printing := []reflect.Type{
		reflect.TypeFor[fmt.Formatter](),
		reflect.TypeFor[fmt.Stringer](),
	}
	for _, f := range []any{fmt.Errorf, fmt.Fprint, fmt.Fprintf, fmt.Fprintln, fmt.Print, fmt.Printf,
		fmt.Println, fmt.Sprint, fmt.Sprintf, fmt.Sprintln, fmt.Append, fmt.Appendf, fmt.Appendln} {
		MapTypes[reflect.ValueOf(f)] = printing
	}
	scanning := []reflect.Type{reflect.TypeFor[fmt.Scanner]()}
	for _, f := range []any{fmt.Scan, fmt.Scanf, fmt.Scanln, fmt.Sscan, fmt.Sscanf, fmt.Sscanln, fmt.Fscan, fmt.Fscanf, fmt.Fscanln} {
		MapTypes[reflect.ValueOf(f)] = scanning
	}
}
