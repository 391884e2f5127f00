package worker

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/adagradlab/adagradlab/checker/jail"
	"github.com/adagradlab/adagradlab/checker/protocol"
	"github.com/adagradlab/adagradlab/checker/synth"
)

// The control for checker's TestEscapes: the same escape, loaded and called
// the way a worker does but in this unjailed test process, really does
// overwrite a file. So it is the jail, and not a broken exploit, that makes
// the jailed one harmless.
func TestEscapeWorksUnjailed(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	delta, err := synth.EscapeDelta(exe)
	if err != nil {
		t.Skip(err) // not an ELF binary with symbols: nothing to aim at
	}
	victim := filepath.Join(t.TempDir(), "victim.go")
	if err := os.WriteFile(victim, []byte("package answers\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hs, err := synth.LoadEscapes("../testdata/hostile/escape", synth.Escapes{Delta: delta, Victim: victim})
	if err != nil {
		t.Fatal(err)
	}
	var src []byte
	for _, h := range hs {
		if h.Name == "write_file.go" {
			src = h.Source
		}
	}
	if src == nil {
		t.Fatal("no write_file escape")
	}
	c, loaded := load(&protocol.Load{File: "write_file.go", Source: string(src), Funcs: []string{"FirstStepLR"}}, jail.Limits{OutputKB: 64})
	if c == nil {
		t.Fatalf("load: %+v", loaded.Fatal)
	}
	one := json.RawMessage("1")
	rep, err := c.call(&protocol.Request{Op: "call", Func: "FirstStepLR", Calls: [][]json.RawMessage{{one, one, one}}})
	if err != nil || rep.Panic != nil {
		t.Fatalf("call: %v %+v", err, rep.Panic)
	}
	b, err := os.ReadFile(victim)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "escaped\n" {
		t.Fatalf("unjailed, the escape did not overwrite its victim: %q", b)
	}
}
