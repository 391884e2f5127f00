// Package symbols holds the yaegi symbol tables of the packages a notebook
// cell can import and run at native speed: the course's own packages, gonum
// and gonum/plot. yaegi interprets cell code about 100x slower than compiled
// Go, so anything heavy belongs in these compiled, preloaded packages.
//
// The tables are made by `yaegi extract`, and the packages' Go doc (for
// inspect_request) by internal/complete/gendocs, with the lines below: run
// `go generate ./pkg/kernel/...` after changing a listed package's API.
// TestTablesFresh and TestDocsFresh fail when they are stale. The standard
// library comes from yaegi's own stdlib package.
package symbols

import "reflect"

//go:generate go run github.com/traefik/yaegi/cmd/yaegi extract -name symbols gonum.org/v1/plot gonum.org/v1/plot/plotter gonum.org/v1/plot/vg gonum.org/v1/plot/vg/draw gonum.org/v1/plot/vg/vgimg gonum.org/v1/gonum/floats gonum.org/v1/gonum/mat github.com/adagradlab/adagradlab/pkg/display github.com/adagradlab/adagradlab/pkg/display/gophernotes github.com/adagradlab/adagradlab/pkg/adagrad github.com/adagradlab/adagradlab/plots
//go:generate go run ../internal/complete/gendocs -o ../internal/complete/docs.json.gz

// Symbols is filled by the generated files' init functions: import path and
// package name ("gonum.org/v1/plot/plot") to exported symbol.
var Symbols = map[string]map[string]reflect.Value{}

// Packages lists the preloaded (non-stdlib) import paths, for %help and
// completion of import lines.
var Packages = []string{
	"gonum.org/v1/plot",
	"gonum.org/v1/plot/plotter",
	"gonum.org/v1/plot/vg",
	"gonum.org/v1/plot/vg/draw",
	"gonum.org/v1/plot/vg/vgimg",
	"gonum.org/v1/gonum/floats",
	"gonum.org/v1/gonum/mat",
	"github.com/adagradlab/adagradlab/pkg/display",
	"github.com/adagradlab/adagradlab/pkg/display/gophernotes",
	"github.com/adagradlab/adagradlab/pkg/adagrad",
	"github.com/adagradlab/adagradlab/plots",
}
