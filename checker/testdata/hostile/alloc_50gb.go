// A 50 GB allocation.
// want: q4=crashed rest=passed
// says: memory limit
package answers

func StateBytes(vocab, dim, bytesPerValue int) int64 {
	big := make([]byte, 50<<30)
	big[len(big)-1] = 1
	return int64(len(big))
}
