// standalone
// Parses, but does not type-check: the interpreter refuses it.
// want: all=error
// says: does not compile
package answers

func FirstStepLR(eta, g, eps float64) float64 {
	return "a string"
}
