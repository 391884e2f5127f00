package plots

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
)

// Table is the data behind a figure in the shape of its CSV file: a header
// and rows of cells.
type Table struct {
	Header []string
	Rows   [][]string
}

// add appends a row; numbers are written with 10 significant digits.
func (t *Table) add(cells ...any) {
	row := make([]string, len(cells))
	for i, c := range cells {
		switch v := c.(type) {
		case string:
			row[i] = v
		case int:
			row[i] = strconv.Itoa(v)
		case float64:
			row[i] = formatNumber(v)
		default:
			panic("plots: bad table cell")
		}
	}
	t.Rows = append(t.Rows, row)
}

func formatNumber(v float64) string {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', 10, 64)
}

// WriteCSV writes the table as CSV (RFC 4180, "\n" line ends).
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	if err := cw.WriteAll(t.Rows); err != nil {
		return err
	}
	return cw.Error()
}
