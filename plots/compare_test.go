package plots

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"math"
	"regexp"
	"strconv"
)

// The comparisons below follow gonum/plot's own golden tests (plot/cmpimg):
// a PNG may differ from its golden by anti-aliasing, which varies with the
// CPU (Go fuses multiply-adds on arm64, not on amd64), so pixels are
// compared with a tolerance; text formats compare their numbers with a
// tolerance and everything else exactly.

// pngTolerance: a pixel counts as different when a channel differs by more
// than pixelDelta of 255; images match when at most maxDiffFraction of their
// pixels differ.
const (
	pixelDelta      = 24
	maxDiffFraction = 0.001
)

// comparePNG returns "" when a and b match within the tolerance, or what differs.
func comparePNG(a, b []byte) string {
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		return "cannot decode: " + err.Error()
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return "cannot decode golden: " + err.Error()
	}
	if ia.Bounds() != ib.Bounds() {
		return fmt.Sprintf("size %v, golden %v", ia.Bounds().Size(), ib.Bounds().Size())
	}
	n, diff := 0, 0
	r := ia.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			n++
			if !pixelClose(ia, ib, x, y) {
				diff++
			}
		}
	}
	if float64(diff) > maxDiffFraction*float64(n) {
		return fmt.Sprintf("%d of %d pixels differ (%.3f%%, tolerance %.3f%%)", diff, n, 100*float64(diff)/float64(n), 100*maxDiffFraction)
	}
	return ""
}

func pixelClose(a, b image.Image, x, y int) bool {
	r1, g1, b1, a1 := a.At(x, y).RGBA()
	r2, g2, b2, a2 := b.At(x, y).RGBA()
	for _, d := range [][2]uint32{{r1, r2}, {g1, g2}, {b1, b2}, {a1, a2}} {
		if math.Abs(float64(d[0]>>8)-float64(d[1]>>8)) > pixelDelta {
			return false
		}
	}
	return true
}

var number = regexp.MustCompile(`-?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?`)

// compareText returns "" when a and b are the same text up to numbers that
// agree to within relTol relative or absTol absolute, or the first difference.
func compareText(a, b []byte, relTol, absTol float64) string {
	if bytes.Equal(a, b) {
		return ""
	}
	na, nb := number.FindAllIndex(a, -1), number.FindAllIndex(b, -1)
	if len(na) != len(nb) {
		return fmt.Sprintf("%d numbers, golden has %d", len(na), len(nb))
	}
	pa, pb := 0, 0
	for i := range na {
		if !bytes.Equal(a[pa:na[i][0]], b[pb:nb[i][0]]) {
			return fmt.Sprintf("text differs near byte %d: %.60q vs %.60q", pa, a[pa:na[i][0]], b[pb:nb[i][0]])
		}
		sa, sb := string(a[na[i][0]:na[i][1]]), string(b[nb[i][0]:nb[i][1]])
		x, err1 := strconv.ParseFloat(sa, 64)
		y, err2 := strconv.ParseFloat(sb, 64)
		if err1 != nil || err2 != nil {
			if sa != sb {
				return fmt.Sprintf("%q vs %q", sa, sb)
			}
		} else if d := math.Abs(x - y); d > absTol && d > relTol*math.Max(math.Abs(x), math.Abs(y)) {
			return fmt.Sprintf("number %s, golden %s (near byte %d)", sa, sb, na[i][0])
		}
		pa, pb = na[i][1], nb[i][1]
	}
	if !bytes.Equal(a[pa:], b[pb:]) {
		return "text differs at the end"
	}
	return ""
}
