package gophernotes_test

import (
	"fmt"

	"github.com/adagradlab/adagradlab/pkg/display/gophernotes"
)

// As in gophernotes, a constructor returns the bundle; in a notebook it
// shows when it is the cell's value, or when passed to Display.
func ExampleHTML() {
	d := gophernotes.HTML("<b>η = 0.1</b>")
	fmt.Println(d.Data[gophernotes.MIMETypeHTML], d.Data[gophernotes.MIMETypeText])
	m := gophernotes.Math(`\eta/\sqrt{G}`)
	fmt.Println(m.Data[gophernotes.MIMETypeLatex])
	// Output:
	// <b>η = 0.1</b> <HTML>
	// $$\eta/\sqrt{G}$$
}
