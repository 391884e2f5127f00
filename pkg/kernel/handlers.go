package kernel

import (
	"context"
	"encoding/json"
	"fmt"
	stdhtml "html"
	"regexp"
	"strings"
	"time"

	"github.com/go-zeromq/zmq4"

	"github.com/adagradlab/adagradlab/checker"

	"github.com/adagradlab/adagradlab/pkg/cells"
	"github.com/adagradlab/adagradlab/pkg/kernel/internal/complete"
	"github.com/adagradlab/adagradlab/pkg/kernel/internal/ipc"
	"github.com/adagradlab/adagradlab/pkg/kernel/internal/magic"
	"github.com/adagradlab/adagradlab/pkg/kernel/internal/session"
	"github.com/adagradlab/adagradlab/pkg/kernel/internal/wire"
	"github.com/adagradlab/adagradlab/pkg/kernel/internal/worker"
	"github.com/adagradlab/adagradlab/pkg/kernel/symbols"
)

type executeRequest struct {
	Code            string            `json:"code"`
	Silent          bool              `json:"silent"`
	StoreHistory    *bool             `json:"store_history"`
	UserExpressions map[string]string `json:"user_expressions"`
	AllowStdin      bool              `json:"allow_stdin"`
	StopOnError     *bool             `json:"stop_on_error"`
}

// iopubSink forwards a running cell's output as iopub messages with the
// execute_request as parent.
type iopubSink struct {
	k          *Kernel
	parent     *wire.Message
	silent     bool
	allowStdin bool // the request allows input_request (stdin.go)
}

func (s *iopubSink) Stream(name, text string) {
	if s.silent {
		return
	}
	s.k.publish("stream", s.parent, map[string]any{"name": name, "text": text})
}

func (s *iopubSink) Display(b *ipc.Bundle) {
	if s.silent {
		return
	}
	if b.Clear {
		s.k.publish("clear_output", s.parent, map[string]any{"wait": b.Wait})
		return
	}
	content := map[string]any{"data": b.Data, "metadata": b.Metadata, "transient": map[string]any{}}
	msgType := "display_data"
	if b.DisplayID != "" {
		content["transient"] = map[string]any{"display_id": b.DisplayID}
		if b.Update {
			msgType = "update_display_data"
		}
	}
	s.k.publish(msgType, s.parent, content)
}

func (k *Kernel) execute(sock zmq4.Socket, m *wire.Message, queue chan *wire.Message) {
	var req executeRequest
	if err := json.Unmarshal(m.Content, &req); err != nil {
		k.reply(sock, m, "execute_reply", errorContent(k.execCount, "BadRequest", "malformed execute_request: "+err.Error()))
		return
	}
	store := req.StoreHistory == nil || *req.StoreHistory
	if req.Silent {
		store = false
	}
	if store {
		k.execCount++
	}
	count := k.execCount
	if !req.Silent {
		k.publish("execute_input", m, map[string]any{"code": req.Code, "execution_count": count})
	}
	sink := &iopubSink{k: k, parent: m, silent: req.Silent, allowStdin: req.AllowStdin}

	res, cell := k.run(req, store, sink)

	if store {
		if strings.TrimSpace(cell.Code) != "" && !cell.Has("reset") {
			k.noteCell(m, req.Code, count, res)
		}
		out := ""
		if res.Result != nil {
			out, _ = res.Result.Data["text/plain"].(string)
		}
		k.history = append(k.history, histEntry{line: count, input: req.Code, output: out})
	}
	if res.Error != nil {
		if !req.Silent {
			k.publish("error", m, map[string]any{"ename": res.Error.Name, "evalue": res.Error.Value, "traceback": res.Error.Traceback})
		}
		// What is queued now was sent before the client could know of
		// the error, and is aborted; what it sends after the reply is not.
		var queued []*wire.Message
		if req.StopOnError == nil || *req.StopOnError {
			queued = drain(queue)
		}
		k.reply(sock, m, "execute_reply", errorContent(count, res.Error.Name, res.Error.Value, res.Error.Traceback...))
		k.abort(sock, queued, queue)
		return
	}
	if res.Result != nil && !req.Silent {
		k.publish("execute_result", m, map[string]any{"execution_count": count, "data": res.Result.Data, "metadata": res.Result.Metadata})
	}
	ue := res.UserExpressions
	if ue == nil {
		ue = map[string]any{}
	}
	k.reply(sock, m, "execute_reply", map[string]any{
		"status": "ok", "execution_count": count, "user_expressions": ue, "payload": []any{},
	})
}

// drain takes the requests waiting in queue now.
func drain(queue chan *wire.Message) []*wire.Message {
	var out []*wire.Message
	for {
		select {
		case m, ok := <-queue:
			if !ok {
				return out
			}
			out = append(out, m)
		default:
			return out
		}
	}
}

// abort answers the execute requests of queued (those waiting behind a
// failed cell) with status "aborted", as stop_on_error asks; other
// requests among them are handled.
func (k *Kernel) abort(sock zmq4.Socket, queued []*wire.Message, queue chan *wire.Message) {
	for _, m := range queued {
		if m.Header.MsgType == "execute_request" {
			k.status(m, "busy")
			// No execution_count: the cell never ran, so the front end
			// must not show it a number.
			k.reply(sock, m, "execute_reply", map[string]any{"status": "aborted", "execution_count": nil})
			k.status(m, "idle")
		} else {
			k.handle(sock, m, queue)
		}
	}
}

func errorContent(count int, ename, evalue string, tb ...string) map[string]any {
	if tb == nil {
		tb = []string{ename + ": " + evalue}
	}
	return map[string]any{"status": "error", "execution_count": count, "ename": ename, "evalue": evalue, "traceback": tb, "user_expressions": map[string]any{}}
}

// run handles magics, then hands the code to the session; it returns the
// cell as parsed too (empty when its magics do not parse).
func (k *Kernel) run(req executeRequest, store bool, sink *iopubSink) (session.Result, magic.Cell) {
	cell, err := magic.Parse(req.Code)
	if err != nil {
		return session.Result{Error: &ipc.Error{Name: "MagicError", Value: err.Error(), Traceback: []string{err.Error()}}}, magic.Cell{}
	}
	for _, mg := range cell.Magics {
		switch mg.Name {
		case "help":
			sink.Display(&ipc.Bundle{Data: map[string]any{"text/markdown": helpText(), "text/plain": helpText()}, Metadata: map[string]any{}})
		case "reset":
			k.cells = nil // nothing the notebook ran before is defined now
			if err := k.sess.Reset(); err != nil {
				return session.Result{Error: &ipc.Error{Name: "ResetError", Value: err.Error(), Traceback: []string{err.Error()}}}, cell
			}
			sink.Stream("stdout", "The Go session was reset: every definition is gone.\n")
		case "check":
			if err := k.check(mg.Args, sink); err != nil {
				return session.Result{Error: &ipc.Error{Name: "CheckError", Value: err.Error(), Traceback: []string{err.Error()}}}, cell
			}
		}
	}
	if strings.TrimSpace(cell.Code) == "" {
		return session.Result{}, cell
	}
	start := time.Now()
	// Cells with %reset, %help or %check are not replayed (a replayed %reset would
	// undo the replay); a %time cell is ordinary code and is.
	replay := store && (len(cell.Magics) == 0 || len(cell.Magics) == 1 && cell.Has("time"))
	res := k.sess.Execute(cell.Code, req.UserExpressions, replay, sink)
	if cell.Has("time") {
		sink.Stream("stdout", fmt.Sprintf("time: %s\n", roundDuration(time.Since(start))))
	}
	return res, cell
}

func roundDuration(d time.Duration) time.Duration {
	switch {
	case d > time.Second:
		return d.Round(time.Millisecond)
	case d > time.Millisecond:
		return d.Round(time.Microsecond)
	}
	return d
}

func helpText() string {
	var b strings.Builder
	b.WriteString("**Go (Adagrad)** runs Go cells on the yaegi interpreter. State carries over from cell to cell; a trailing expression is shown as the cell's result (a `*plot.Plot` as an image).\n\n")
	b.WriteString("Magics:\n\n")
	names := magic.Names()
	for _, n := range names {
		fmt.Fprintf(&b, "- `%s`: %s\n", n, magic.Known[strings.TrimPrefix(n, "%")])
	}
	b.WriteString("\nPreloaded packages (compiled, fast; import them as usual), besides the standard library:\n\n")
	for _, p := range symbols.Packages {
		fmt.Fprintf(&b, "- `%s`\n", p)
	}
	b.WriteString("\nShowing things: `display.PNG`, `display.SVG`, `display.HTML`, `display.Markdown`, `display.Math`, `display.JSON`, `display.Table`, `display.Plot`; `h := display.NewHandle()` then `h.Update(...)` redraws one output in place. The `display` package is imported in every cell.\n\n")
	fmt.Fprintf(&b, "Limits: a cell that runs away can be stopped with the interrupt button; recursion deeper than %d MB of stack, or more than %d MB of memory, stops the cell. In each case the kernel restarts its Go session and replays the cells that had worked, so your definitions come back.\n", worker.MaxStackMB, memoryMB())
	return b.String()
}

func (k *Kernel) complete(sock zmq4.Socket, m *wire.Message) {
	var c struct {
		Code      string `json:"code"`
		CursorPos int    `json:"cursor_pos"`
	}
	if err := json.Unmarshal(m.Content, &c); err != nil {
		k.reply(sock, m, "complete_reply", errorContent(0, "BadRequest", err.Error()))
		return
	}
	matches, start, end := complete.Complete(c.Code, c.CursorPos, k.env())
	if matches == nil {
		matches = []string{}
	}
	k.reply(sock, m, "complete_reply", map[string]any{
		"status": "ok", "matches": matches, "cursor_start": start, "cursor_end": end, "metadata": map[string]any{},
	})
}

func (k *Kernel) env() complete.Env {
	g, t := k.sess.Globals()
	return complete.Env{History: k.sess.History(), Globals: g, Types: t}
}

func (k *Kernel) inspect(sock zmq4.Socket, m *wire.Message) {
	var c struct {
		Code      string `json:"code"`
		CursorPos int    `json:"cursor_pos"`
	}
	if err := json.Unmarshal(m.Content, &c); err != nil {
		k.reply(sock, m, "inspect_reply", errorContent(0, "BadRequest", err.Error()))
		return
	}
	text, found := complete.Inspect(c.Code, c.CursorPos, k.env())
	data := map[string]any{}
	if found {
		data["text/plain"] = text
	}
	k.reply(sock, m, "inspect_reply", map[string]any{"status": "ok", "found": found, "data": data, "metadata": map[string]any{}})
}

func (k *Kernel) isComplete(sock zmq4.Socket, m *wire.Message) {
	var c struct {
		Code string `json:"code"`
	}
	if err := json.Unmarshal(m.Content, &c); err != nil {
		k.reply(sock, m, "is_complete_reply", map[string]any{"status": "unknown"})
		return
	}
	code := c.Code
	if p, err := magic.Parse(code); err == nil {
		code = p.Code
	} else {
		k.reply(sock, m, "is_complete_reply", map[string]any{"status": "invalid"})
		return
	}
	r := cells.IsComplete(code)
	content := map[string]any{"status": r.Status}
	if r.Status == "incomplete" {
		content["indent"] = r.Indent
	}
	k.reply(sock, m, "is_complete_reply", content)
}

func (k *Kernel) historyReply(sock zmq4.Socket, m *wire.Message) {
	var c struct {
		Output         bool   `json:"output"`
		HistAccessType string `json:"hist_access_type"`
		Session        int    `json:"session"`
		Start          int    `json:"start"`
		Stop           int    `json:"stop"`
		N              int    `json:"n"`
		Pattern        string `json:"pattern"`
		Unique         bool   `json:"unique"`
	}
	if err := json.Unmarshal(m.Content, &c); err != nil {
		k.reply(sock, m, "history_reply", errorContent(0, "BadRequest", err.Error()))
		return
	}
	var sel []histEntry
	switch c.HistAccessType {
	case "range":
		// One session per kernel process: number 1.
		if c.Session == 0 || c.Session == 1 {
			for _, h := range k.history {
				if h.line >= c.Start && (c.Stop == 0 || h.line < c.Stop) {
					sel = append(sel, h)
				}
			}
		}
	case "search":
		re := globRE(c.Pattern)
		seen := map[string]bool{}
		for i := len(k.history) - 1; i >= 0; i-- {
			h := k.history[i]
			if !re.MatchString(h.input) || c.Unique && seen[h.input] {
				continue
			}
			seen[h.input] = true
			sel = append([]histEntry{h}, sel...)
			if c.N > 0 && len(sel) == c.N {
				break
			}
		}
	default: // "tail"
		sel = k.history
		if c.N > 0 && len(sel) > c.N {
			sel = sel[len(sel)-c.N:]
		}
	}
	out := make([]any, 0, len(sel))
	for _, h := range sel {
		if c.Output {
			out = append(out, []any{1, h.line, []string{h.input, h.output}})
		} else {
			out = append(out, []any{1, h.line, h.input})
		}
	}
	k.reply(sock, m, "history_reply", map[string]any{"status": "ok", "history": out})
}

// globRE turns a history search pattern (glob: * and ?) into a regexp.
func globRE(p string) *regexp.Regexp {
	if p == "" {
		p = "*"
	}
	var b strings.Builder
	b.WriteString("^")
	for _, r := range p {
		switch r {
		case '*':
			b.WriteString("(?s:.*)")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// check grades the session's cells (those that ran without error, in
// order, as the checker's worker will run them) with the course's checker
// and shows one card per question.
func htmlEscape(s string) string { return stdhtml.EscapeString(s) }

func (k *Kernel) check(ids []string, sink *iopubSink) error {
	cells, failed := k.notebookCells()
	if len(cells) == 0 {
		return fmt.Errorf("no cells have run yet: run your answers first, then %%check")
	}
	for i, id := range ids {
		ids[i] = strings.ToLower(strings.TrimSpace(id))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	qs, err := checker.GradeOnce(ctx, checker.Input{Name: "notebook", Cells: cells}, ids...)
	if err != nil {
		return fmt.Errorf("grading: %w", err)
	}
	var plain strings.Builder
	html := checker.CardsHTML(qs)
	if len(failed) > 0 {
		var note strings.Builder
		for _, f := range failed {
			plain.WriteString("Note: " + f + "\n")
			note.WriteString("<p><b>Note:</b> " + htmlEscape(f) + "</p>")
		}
		html = note.String() + html
	}
	for _, q := range qs {
		fmt.Fprintf(&plain, "%s: %s, %d/%d\n", q.ID, q.Status, q.Score, q.Max)
		for _, f := range q.Feedback {
			fmt.Fprintf(&plain, "  %s\n", f)
		}
	}
	sink.Display(&ipc.Bundle{Data: map[string]any{"text/html": html, "text/plain": plain.String()}, Metadata: map[string]any{}})
	return nil
}
