package cells_test

import (
	"fmt"

	"github.com/adagradlab/adagradlab/pkg/cells"
)

// yaegi's messages name its own types and reflect's panics; a learner reads
// Go's words instead, in the kernel and in the checker's feedback alike.
func ExampleGoWording() {
	fmt.Println(cells.GoWording("reflect: slice index out of range"))
	fmt.Println(cells.GoWording("line 3:5: cannot use x (variable of type float64T) as intT value"))
	fmt.Println(cells.GoWording("line 2:1: constant definition loop"))
	// Output:
	// runtime error: index out of range
	// line 3:5: cannot use x (variable of type float64) as int value
	// line 2:1: undefined: a name in this statement is not defined (a typo, or a cell not run yet?)
}
