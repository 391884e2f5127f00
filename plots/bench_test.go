package plots

import "testing"

// BenchmarkLectureSet builds every figure in PNG and SVG, slide style, with
// its CSV: what `adagradlab plots` does short of writing the files.
//
//	go test -run '^$' -bench LectureSet -benchtime 5x ./plots
func BenchmarkLectureSet(b *testing.B) {
	for b.Loop() {
		if _, err := Build(nil, Slide(), []string{"png", "svg"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFigure is the same per figure, one format at a time.
func BenchmarkFigure(b *testing.B) {
	for _, name := range Names() {
		for _, format := range []string{"png", "svg"} {
			b.Run(name+"/"+format, func(b *testing.B) {
				for b.Loop() {
					if _, err := Build([]string{name}, Slide(), []string{format}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
