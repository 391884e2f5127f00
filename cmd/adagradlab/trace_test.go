package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Golden outputs live in testdata/; regenerate them with
//
//	go test ./cmd/adagradlab -run TestTraceGolden -update
var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func runCmd(args ...string) (stdout, stderr string, code int) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return o.String(), e.String(), code
}

func TestTraceGolden(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"seed-table", []string{"trace"}},
		{"seed-inside-markdown", []string{"trace", "--eps-inside", "--format", "markdown"}},
		{"seed-csv", []string{"trace", "--format", "csv"}},
		{"decay-json", []string{"trace", "--grads", "1,-2;0.5,0;0.25,1", "--lr", "0.5", "--lr-decay", "0.1", "--weight-decay", "0.01", "--theta0", "1,2", "--format", "json"}},
		{"three-params", []string{"trace", "--grads", "1,0,0.1;1,0,0;1,0.5,0.1", "--lr", "0.01", "--eps", "1e-10"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := runCmd(c.args...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			path := filepath.Join("testdata", "trace-"+c.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if out != string(want) {
				t.Errorf("output differs from %s (run with -update if the change is intended)\ngot:\n%s\nwant:\n%s", path, out, want)
			}
		})
	}
}

// The seed's numbers, read off the default table: the golden file could be
// regenerated wrong, this cannot.
func TestTraceDefaultIsTheSeedWalkthrough(t *testing.T) {
	out, _, _ := runCmd("trace", "--format", "csv")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 {
		t.Fatalf("want header + 5 steps, got %d lines", len(lines))
	}
	table, _, _ := runCmd("trace")
	for _, want := range []string{"-0.1625", "-0.2049", "-0.2626", "-0.3046", "-0.1555", "0.2774", "1.0000e+07"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %s:\n%s", want, table)
		}
	}
}

func TestTraceBadInput(t *testing.T) {
	cases := []struct {
		args []string
		want string // what the one-line message must name
	}{
		{[]string{"trace", "--grads", "0.5,0;0.4"}, "step 2 has 1 values"},
		{[]string{"trace", "--grads", "0.5,abc"}, `"abc" is not a number`},
		{[]string{"trace", "--grads", "0.5,0;;1,1"}, "step 2 is empty"},
		{[]string{"trace", "--grads", ""}, "is empty"},
		{[]string{"trace", "--grads", "1,NaN"}, `"NaN" is not finite`},
		{[]string{"trace", "--grads", "1,+Inf"}, `"+Inf" is not finite`},
		{[]string{"trace", "--lr", "-0.1"}, "--lr must be a finite number >= 0, got -0.1"},
		{[]string{"trace", "--eps", "-1e-8"}, "--eps must be"},
		{[]string{"trace", "--lr", "NaN"}, "--lr must be"},
		{[]string{"trace", "--format", "xml"}, `unknown --format "xml"`},
		{[]string{"trace", "--theta0", "1"}, "--theta0 has 1 values"},
		{[]string{"trace", "--nope"}, "flag provided but not defined: -nope"},
		{[]string{"trace", "extra"}, `unexpected argument "extra"`},
	}
	for _, c := range cases {
		out, errOut, code := runCmd(c.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", c.args, code)
		}
		if out != "" {
			t.Errorf("%v: wrote to stdout: %q", c.args, out)
		}
		if strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: stderr %q, want one line containing %q", c.args, errOut, c.want)
		}
	}
}

func TestTraceZeroEpsWarns(t *testing.T) {
	out, errOut, code := runCmd("trace", "--eps", "0", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "divides by zero") {
		t.Errorf("no warning: %q", errOut)
	}
	if !strings.Contains(out, `"NaN"`) {
		t.Errorf("JSON should carry the NaN as a string:\n%s", out)
	}
}

func TestHelpAndUnknownCommand(t *testing.T) {
	if out, _, code := runCmd("help"); code != 0 || !strings.Contains(out, "trace") {
		t.Errorf("help: exit %d, %q", code, out)
	}
	if _, errOut, code := runCmd("frobnicate"); code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d, %q", code, errOut)
	}
	if _, errOut, code := runCmd("trace", "-h"); code != 0 || !strings.Contains(errOut, "Usage: adagradlab trace") {
		t.Errorf("trace -h: exit %d, %q", code, errOut)
	}
}
