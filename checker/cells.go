package checker

import "github.com/adagradlab/adagradlab/pkg/cells"

// cellChunks cuts a notebook cell exactly as the kernel does (pkg/cells):
// runs of declarations and runs of statements, since yaegi evaluates a
// source as one kind or the other. Statement runs come wrapped the way the
// kernel wraps them (cells.Wrap works around a yaegi bug), so a notebook is
// graded the way it ran.
func cellChunks(cell string) []cells.Chunk {
	chunks := cells.Split(cell)
	for i, c := range chunks {
		if !c.Decl {
			chunks[i] = cells.Wrap(c)
		}
	}
	return chunks
}

// cellSources is cellChunks' sources, for reading a cell's declarations.
func cellSources(cell string) []string {
	var out []string
	for _, c := range cells.Split(cell) {
		out = append(out, c.Src)
	}
	return out
}
