// Package report writes a grading run's report: JSON (the source of the
// others), a CSV gradebook, one HTML page, and the summary table printed at
// the end of a run. Files are written atomically: a run that is interrupted
// leaves the previous file or none, never half of one. Every writer reads
// the submissions one at a time from a Source, so a report of any size is
// written in constant memory.
package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/adagradlab/adagradlab/checker/result"
	"github.com/adagradlab/adagradlab/internal/atomicfile"
)

// Source is a report to write: its head (everything but the submissions)
// and its submissions, read in order. A *result.Report in memory is one;
// so is a spooled batch (checker.Batch).
type Source interface {
	Head() result.Report
	Len() int
	Each(func(result.Submission) error) error
}

// JSON encodes the report, indented, with a final newline: the encoding of
// a result.Report, written a submission at a time.
func JSON(w io.Writer, src Source) error {
	bw := bufio.NewWriter(w)
	head := src.Head()
	head.Submissions = []result.Submission{}
	b, err := marshal(head, "")
	if err != nil {
		return err
	}
	// b ends with `"submissions": []` and the closing brace: open the list.
	i := bytes.LastIndex(b, []byte("[]"))
	bw.Write(b[:i])
	bw.WriteString("[")
	n := 0
	err = src.Each(func(s result.Submission) error {
		sb, err := marshal(s, "    ")
		if err != nil {
			return err
		}
		if n > 0 {
			bw.WriteString(",")
		}
		n++
		bw.WriteString("\n    ")
		_, err = bw.Write(sb)
		return err
	})
	if err != nil {
		return err
	}
	if n > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]\n}\n")
	return bw.Flush()
}

func marshal(v any, prefix string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent(prefix, "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// allQuestions are the gradebook's columns, whatever a run graded.
var allQuestions = []string{"q1", "q2", "q3", "q4", "q5"}

// CSV writes the gradebook: id, q1 … q5, total. A question the run did not
// grade (--only) is left empty.
func CSV(w io.Writer, src Source) error {
	cw := csv.NewWriter(w)
	cw.Write(append(append([]string{"id"}, allQuestions...), "total"))
	err := src.Each(func(s result.Submission) error {
		row := []string{csvSafe(s.ID)}
		for _, id := range allQuestions {
			cell := ""
			for _, q := range s.Questions {
				if q.ID == id {
					cell = strconv.Itoa(q.Score)
				}
			}
			row = append(row, cell)
		}
		row = append(row, strconv.Itoa(s.Score))
		return cw.Write(row)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from reading a learner-chosen file name as a
// formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Summary prints the table shown at the end of a run: one row per question
// with the count of each status and the mean score.
func Summary(w io.Writer, src Source) error {
	head := src.Head()
	type agg struct {
		counts      map[result.Status]int
		sum, max, n int
	}
	per := map[string]*agg{}
	for _, id := range head.Questions {
		per[id] = &agg{counts: map[result.Status]int{}}
	}
	n, errs := 0, 0
	err := src.Each(func(s result.Submission) error {
		n++
		if s.Error != "" {
			errs++
		}
		for _, q := range s.Questions {
			if a := per[q.ID]; a != nil {
				a.counts[q.Status]++
				a.sum += q.Score
				a.max = q.Max
				a.n++
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	line := "question\t"
	for _, st := range result.Statuses {
		line += string(st) + "\t"
	}
	fmt.Fprintln(tw, line+"mean\t")
	totalScore, totalMax := 0, 0
	for _, id := range head.Questions {
		a := per[id]
		line := id + "\t"
		for _, st := range result.Statuses {
			line += strconv.Itoa(a.counts[st]) + "\t"
		}
		mean := 0.0
		if a.n > 0 {
			mean = float64(a.sum) / float64(a.n)
		}
		fmt.Fprintf(tw, "%s%.1f/%d\t\n", line, mean, a.max)
		totalScore += a.sum
		totalMax += a.max * a.n
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	mean, maxPer := 0.0, 0
	if n > 0 {
		mean, maxPer = float64(totalScore)/float64(n), totalMax/n
	}
	_, err = fmt.Fprintf(w, "%d submissions (%d unreadable), mean %.1f/%d, seed %d\n", n, errs, mean, maxPer, head.Seed)
	return err
}

// WriteFile writes what write produces to name atomically: into a temporary
// file in the same folder, synced, then renamed over name.
func WriteFile(name string, write func(io.Writer) error) error {
	return atomicfile.WriteFile(name, write)
}

// HTML writes the report as one self-contained page: a table with a row
// per submission, then each submission's cards.
func HTML(w io.Writer, src Source) error {
	bw := bufio.NewWriter(w)
	head := src.Head()
	data := pageData{R: &head, N: src.Len(), Style: template.CSS(Style)}
	if err := tpl.ExecuteTemplate(bw, "top", data); err != nil {
		return err
	}
	for _, part := range []string{"row", "section"} {
		if part == "section" {
			bw.WriteString("</table>\n")
		}
		err := src.Each(func(s result.Submission) error { return tpl.ExecuteTemplate(bw, part, s) })
		if err != nil {
			return err
		}
	}
	bw.WriteString("</body></html>\n")
	return bw.Flush()
}

// pageData is what the templates see.
type pageData struct {
	R     *result.Report
	N     int
	Q     result.Question
	Qs    []result.Question
	Style template.CSS
}

// Style is the CSS of the report page and of the notebook cards.
const Style = `.ag-card{font-family:system-ui,sans-serif;border:1px solid #ccc;border-radius:6px;padding:.5em .8em;margin:.4em 0;max-width:52em}
.ag-card h4{margin:.1em 0 .3em 0;font-size:1em}
.ag-card ul{margin:.2em 0;padding-left:1.3em}
.ag-card pre{white-space:pre-wrap;background:#f6f6f6;padding:.4em;margin:.3em 0}
.ag-status{display:inline-block;border-radius:3px;padding:0 .4em;color:#fff;font-size:.85em;font-weight:600}
.ag-passed{background:#2e7d32}.ag-partial{background:#ef6c00}.ag-failed{background:#c62828}
.ag-error{background:#6a1b9a}.ag-timeout{background:#455a64}.ag-crashed{background:#000}
.ag-review{color:#6a1b9a;font-size:.85em}`

// Card renders one question's verdict as a self-contained HTML fragment
// (its style included): what the kernel's %check shows under the cell.
func Card(q result.Question) string { return Cards([]result.Question{q}) }

// Cards renders several verdicts as one fragment, the style once.
func Cards(qs []result.Question) string {
	var buf bytes.Buffer
	if err := tpl.ExecuteTemplate(&buf, "cards", pageData{Qs: qs, Style: template.CSS(Style)}); err != nil {
		return template.HTMLEscapeString(err.Error())
	}
	return buf.String()
}

var funcs = template.FuncMap{
	"cols": func() []string { return allQuestions },
	"q": func(s result.Submission, id string) *result.Question {
		for i := range s.Questions {
			if s.Questions[i].ID == id {
				return &s.Questions[i]
			}
		}
		return nil
	},
}

var tpl = template.Must(template.New("").Funcs(funcs).Parse(`
{{define "card"}}<div class="ag-card"><h4>{{.ID}} <span class="ag-status ag-{{.Status}}">{{.Status}}</span> {{.Score}}/{{.Max}}</h4>
<ul>{{range .Feedback}}<li>{{.}}</li>{{end}}</ul>
{{if .Text}}<div class="ag-review">written answer ({{.Review}}):</div><pre>{{.Text}}</pre>{{end}}</div>
{{end}}
{{define "cards"}}<div class="ag-cards"><style>{{.Style}}</style>
{{range .Qs}}{{template "card" .}}{{end}}</div>
{{end}}
{{define "top"}}<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>adagradlab check: report</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}
td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left}th{background:#f3f3f3}
{{.Style}}</style></head><body>
<h1>Adagrad exercises: report</h1>
<p>{{.N}} submissions · seed {{.R.Seed}} (replay with <code>--seed {{.R.Seed}}</code>) · {{.R.TimeoutMS}} ms per question · isolation {{.R.Isolation}} · adagradlab {{.R.Version}}, {{.R.Go}}</p>
<table><tr><th>id</th>{{range cols}}<th>{{.}}</th>{{end}}<th>total</th></tr>
{{end}}
{{define "row"}}{{$s := .}}<tr><td><a href="#s-{{.ID}}">{{.ID}}</a>{{if .Warning}} ⚠{{end}}</td>{{range cols}}{{with q $s .}}<td><span class="ag-status ag-{{.Status}}">{{.Score}}/{{.Max}} {{.Status}}</span></td>{{else}}<td></td>{{end}}{{end}}<td>{{.Score}}/{{.Max}}</td></tr>
{{end}}
{{define "section"}}<h2 id="s-{{.ID}}">{{.ID}} <small>{{.File}} · {{.Score}}/{{.Max}}</small></h2>
{{if .SHA256}}<p><small>SHA-256 {{.SHA256}}</small></p>{{end}}
{{if .Warning}}<p class="ag-review">⚠ {{.Warning}}</p>{{end}}
{{if .Error}}<p><span class="ag-status ag-error">error</span> {{.Error}}</p>{{end}}
{{range .Questions}}{{template "card" .}}{{end}}
{{end}}`))
