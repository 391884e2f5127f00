// 100 MB of printing.
// want: q2=crashed rest=passed
// says: output limit
package answers

import (
	"fmt"
	"strings"
)

func Accumulate(G, g float64) float64 {
	line := strings.Repeat("spam ", 200)
	for i := 0; i < 100_000; i++ {
		fmt.Println(line)
	}
	return 0.9*G + 0.1*g*g
}
