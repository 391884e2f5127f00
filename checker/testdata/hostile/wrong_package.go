// standalone
// want: all=error
// says: package answers
package main

func main() {}
