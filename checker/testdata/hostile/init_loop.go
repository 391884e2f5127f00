// An endless loop in init: nothing can be graded.
// want: all=timeout
// says: loading the code
package answers

func init() {
	for {
	}
}
