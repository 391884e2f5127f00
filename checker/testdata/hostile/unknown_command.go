// A goroutine that dies saying what a worker without the check-worker
// subcommand would say: the grader must not take the words for a missing
// subcommand and stop the batch. Its verdict is its own; the batch goes on.
// want: all=crashed
// says: panicked in a goroutine: panic: unknown command
package answers

func init() {
	go func() { panic("unknown command") }()
	select {}
}
