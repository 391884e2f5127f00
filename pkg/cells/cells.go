// Package cells understands the text of a notebook cell before the
// interpreter sees it.
//
// yaegi evaluates a source either as top-level declarations (when its first
// token is import, func, type, const or var) or as statements wrapped in a
// main function — never both — while notebook cells freely mix an import, a
// func and a few statements. Split cuts a cell at top-level statement
// boundaries into runs of each kind, remembering where each run starts so
// that error positions can be given in the cell's own lines. The same scanner
// answers is_complete.
package cells

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"regexp"
	"strconv"
	"strings"
)

// Chunk is a run of top-level statements of one kind.
type Chunk struct {
	Src  string // as handed to the interpreter, padded so positions match the cell
	Decl bool   // declarations (file mode) rather than statements (function body)
	Line int    // 1-based line of the chunk's first token in the cell
	// Expr is set when this is the cell's last chunk and it ends with an
	// expression statement whose value should become the execute_result.
	Expr bool
	// CallFun is set when Expr is a call of a name (f, pkg.F, x.M): that
	// name, so the runner can tell a call with no results (show nothing)
	// from one whose value yaegi hands back.
	CallFun string
	// Inserted lists the lines of Src that Wrap added, for FixPositions.
	Inserted []int
	// Lead is the number of bytes put before the cell's line 1.
	Lead  int
	first token.Token
}

// stmt is one top-level statement: its byte range and first token.
type stmt struct {
	start, end int
	first      token.Token
	line       int
}

// scanStmts cuts src at the semicolons (explicit or inserted at line ends)
// that are not nested in brackets.
func scanStmts(src string) ([]stmt, error) {
	fset := token.NewFileSet()
	file := fset.AddFile("cell", -1, len(src))
	var errs scanner.ErrorList
	var s scanner.Scanner
	s.Init(file, []byte(src), func(pos token.Position, msg string) { errs.Add(pos, msg) }, 0)
	var out []stmt
	depth := 0
	cur := stmt{start: -1}
	header := false // in the header of a for/if/switch/select: its ";" do not end it
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		off := file.Offset(pos)
		if cur.start < 0 {
			if tok == token.SEMICOLON {
				continue // a stray ";" or the newline after a blank statement
			}
			cur = stmt{start: off, first: tok, line: file.Line(pos)}
			header = tok == token.FOR || tok == token.IF || tok == token.SWITCH || tok == token.SELECT
		}
		if header && depth == 0 && (tok == token.LBRACE || tok == token.SEMICOLON && lit == "\n") {
			header = false
		}
		if header && depth == 0 && tok == token.SEMICOLON {
			continue
		}
		switch tok {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			depth--
		case token.SEMICOLON:
			if depth == 0 {
				end := off
				if lit == "\n" {
					end = off // the inserted semicolon sits on the newline
				} else {
					end = off + 1
				}
				cur.end = end
				out = append(out, cur)
				cur = stmt{start: -1}
			}
		}
	}
	if cur.start >= 0 {
		cur.end = len(src)
		out = append(out, cur)
	}
	if errs.Len() > 0 {
		return out, errs.Err()
	}
	return out, nil
}

func isDecl(t token.Token) bool {
	// yaegi picks file mode by the first token, so a run starting with var
	// or const must be declarations. func may start a function literal
	// call, which yaegi handles by retrying in statement mode.
	return t == token.IMPORT || t == token.TYPE || t == token.FUNC || t == token.VAR || t == token.CONST
}

// Split cuts a cell into chunks to evaluate in order.
func Split(src string) []Chunk { return Options{}.Split(src) }

// Options change how a cell is read.
type Options struct {
	// DisplayReturnsData: display.X(…) returns the Data to show (gophernotes'
	// display package) rather than showing it itself, so a trailing one is
	// the cell's value.
	DisplayReturnsData bool
}

// Split cuts a cell into chunks to evaluate in order.
func (o Options) Split(src string) []Chunk {
	stmts, _ := scanStmts(src)
	var chunks []Chunk
	var last *stmt
	for i := range stmts {
		st := stmts[i]
		d := isDecl(st.first)
		if st.first == token.FUNC {
			// func(){ ... }() is a statement, not a declaration.
			if _, err := parser.ParseExpr(strings.TrimRight(src[st.start:st.end], "; \t\n")); err == nil {
				d = false
			}
		}
		if len(chunks) > 0 && chunks[len(chunks)-1].Decl == d {
			c := &chunks[len(chunks)-1]
			c.Src = pad(src, st.start, c.Src, st.end)
		} else {
			chunks = append(chunks, Chunk{Decl: d, Line: st.line, Src: padFrom(src, st.start, st.end), first: st.first})
		}
		last = &stmts[i]
	}
	if last != nil && len(chunks) > 0 {
		c := &chunks[len(chunks)-1]
		if !c.Decl && isExprStmt(src[last.start:last.end], o.DisplayReturnsData) {
			c.Expr = true
			c.CallFun = callName(src[last.start:last.end])
		}
	}
	for i := range chunks {
		if c := &chunks[i]; !c.Decl && c.first == token.FUNC {
			// A statement chunk starting with func (a literal called at
			// once) would be parsed by yaegi as a declaration first and
			// then kept as a main function that reruns with later cells.
			// A leading ";" makes it a statement; it shifts line 1 by one.
			c.Src = ";" + c.Src
			c.Lead = 1
		}
	}
	return chunks
}

// padFrom returns src[start:end] preceded by blanks that keep every byte on
// the line and column it has in the cell.
func padFrom(src string, start, end int) string {
	pre := src[:start]
	var b strings.Builder
	// Byte by byte: Go columns count bytes, and len(result) == end keeps
	// pad's arithmetic right when the cell holds η or θ.
	for i := 0; i < len(pre); i++ {
		switch pre[i] {
		case '\n', '\t':
			b.WriteByte(pre[i])
		default:
			b.WriteByte(' ')
		}
	}
	b.WriteString(src[start:end])
	return b.String()
}

// pad extends a chunk whose text covers the cell up to some point with the
// cell's text up to end (intermediate statements belong to it anyway).
func pad(src string, _ int, chunk string, end int) string {
	// The chunk's text is the cell's prefix with earlier chunks blanked, so
	// appending the cell's bytes from len(chunk) keeps positions aligned.
	return chunk + src[len(chunk):end]
}

// isExprStmt reports whether one statement is an expression worth showing:
// not an assignment or declaration, and not a call of a print function
// whose (n, err) results nobody wants to see.
func isExprStmt(s string, displayReturnsData bool) bool {
	e, err := parser.ParseExpr(strings.TrimRight(strings.TrimSpace(s), ";"))
	if err != nil {
		return false
	}
	if call, ok := e.(*ast.CallExpr); ok {
		if _, lit := call.Fun.(*ast.FuncLit); lit {
			return false // yaegi returns no usable value for an immediately called literal
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
			if pkg, ok := sel.X.(*ast.Ident); ok && (pkg.Name == "fmt" || pkg.Name == "log") &&
				(strings.HasPrefix(sel.Sel.Name, "Print") || strings.HasPrefix(sel.Sel.Name, "Fprint")) {
				return false
			}
			if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "display" && !displayReturnsData {
				return false // display functions show things themselves and return an error
			}
		}
		if id, ok := call.Fun.(*ast.Ident); ok && (id.Name == "println" || id.Name == "print" || id.Name == "panic") {
			return false
		}
	}
	return true
}

// callName returns the called name when s is a call of f, pkg.F or x.M.
func callName(s string) string {
	e, err := parser.ParseExpr(strings.TrimRight(strings.TrimSpace(s), ";"))
	if err != nil {
		return ""
	}
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return ""
	}
	switch f := call.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok {
			return x.Name + "." + f.Sel.Name
		}
	}
	return ""
}

// Wrap works around a yaegi v0.16.1 bug: at top level, a multi-value :=
// inside a for, if, switch, select or block statement fails ("undefined:
// a", "nil type"), while the same code inside a function works. So each
// such top-level statement is wrapped in (func() { ... }()), which means
// the same at top level. (With the parentheses: a chunk starting with the
// keyword func would be taken for a declaration, and yaegi would then keep
// the chunk as a main function that reruns with every later cell.) The
// wrapper's opening goes on a line of its own, so every column stays put;
// Inserted records that line for FixPositions.
func Wrap(c Chunk) Chunk {
	if c.Decl {
		return c
	}
	stmts, err := scanStmts(c.Src)
	if err != nil {
		return c
	}
	type ins struct{ start, end, line int }
	var todo []ins
	for _, st := range stmts {
		switch st.first {
		case token.FOR, token.IF, token.SWITCH, token.SELECT, token.LBRACE:
		default:
			continue
		}
		if multiDefine(c.Src[st.start:st.end]) {
			todo = append(todo, ins{st.start, st.end, st.line})
		}
	}
	if len(todo) == 0 {
		return c
	}
	src := c.Src
	for i := len(todo) - 1; i >= 0; i-- {
		t := todo[i]
		ls := strings.LastIndex(src[:t.start], "\n") + 1
		pad := padFrom(src[ls:t.start], len(src[ls:t.start]), len(src[ls:t.start]))
		src = src[:t.start] + "(func() {\n" + pad + src[t.start:t.end] + "}())" + src[t.end:]
	}
	for i, t := range todo {
		c.Inserted = append(c.Inserted, t.line+i)
	}
	c.Src = src
	return c
}

// multiDefine reports whether s has a := with more than one name on its left.
func multiDefine(s string) bool {
	var sc scanner.Scanner
	fset := token.NewFileSet()
	sc.Init(fset.AddFile("", -1, len(s)), []byte(s), func(token.Position, string) {}, 0)
	comma := false
	for {
		_, tok, _ := sc.Scan()
		switch tok {
		case token.EOF:
			return false
		case token.COMMA:
			comma = true
		case token.DEFINE:
			if comma {
				return true
			}
		case token.IDENT:
		default:
			comma = false
		}
	}
}

// What goes around a chunk's text to make it Go (yaegi does the same): a
// file for declarations, a main function's body for statements.
const (
	declPrefix = "package main;"
	stmtPrefix = "package main; func main() {"
	stmtSuffix = "\n}"
)

// frame returns what goes around c's text to parse it.
func (c Chunk) frame() (prefix, suffix string) {
	if c.Decl {
		return declPrefix, ""
	}
	return stmtPrefix, stmtSuffix
}

// wrapperCols is the width of yaegi's statement prefix, which shifts
// columns on the first line of a statement chunk.
const wrapperCols = len(stmtPrefix)

var posRE = regexp.MustCompile(`(?m)(?:^|\b_\.go:)(\d+):(\d+): `)

// FixPositions rewrites yaegi's "line:col: " prefixes in msg so that they
// point into the cell (chunk Src is padded, so only the wrapper's columns on
// line 1 need fixing) and reads "cell line L:C:" instead.
func FixPositions(msg string, c Chunk) string {
	return posRE.ReplaceAllStringFunc(msg, func(m string) string {
		sub := posRE.FindStringSubmatch(m)
		line, _ := strconv.Atoi(sub[1])
		col, _ := strconv.Atoi(sub[2])
		if !c.Decl && line == 1 && col > wrapperCols+c.Lead {
			col -= wrapperCols + c.Lead
		}
		if c.Decl && line == 1 && col > len(declPrefix) {
			col -= len(declPrefix)
		}
		shift := 0
		for _, l := range c.Inserted {
			if l < line {
				shift++
			}
		}
		line -= shift
		return fmt.Sprintf("line %d:%d: ", line, col)
	})
}

// Completeness is the answer to is_complete_request.
type Completeness struct {
	Status string // "complete", "incomplete" or "invalid"
	Indent string
}

// IsComplete tells whether the cell can be run as it is, needs more lines
// (an open bracket or string), or cannot be valid Go whatever follows.
func IsComplete(src string) Completeness {
	if strings.TrimSpace(src) == "" {
		return Completeness{Status: "complete"}
	}
	depth := 0
	fset := token.NewFileSet()
	file := fset.AddFile("cell", -1, len(src))
	var s scanner.Scanner
	var scanErr string
	s.Init(file, []byte(src), func(_ token.Position, msg string) { scanErr = msg }, 0)
	for {
		_, tok, _ := s.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			depth--
		}
	}
	switch {
	case strings.Contains(scanErr, "not terminated"):
		return Completeness{Status: "incomplete"}
	case scanErr != "":
		return Completeness{Status: "invalid"}
	case depth > 0:
		return Completeness{Status: "incomplete", Indent: strings.Repeat("\t", depth)}
	case depth < 0:
		return Completeness{Status: "invalid"}
	}
	// Brackets balance: a trailing binary operator or comma still wants more.
	t := strings.TrimRight(src, " \t\r\n")
	for _, op := range []string{"+", "-", "*", "/", "&&", "||", ",", "=", "(", "."} {
		if strings.HasSuffix(t, op) && !strings.HasSuffix(t, "++") && !strings.HasSuffix(t, "--") {
			return Completeness{Status: "incomplete"}
		}
	}
	// Each chunk must parse as Go in its mode.
	for _, c := range Split(src) {
		prefix, suffix := c.frame()
		if _, err := parser.ParseFile(token.NewFileSet(), "", prefix+c.Src+suffix, 0); err != nil {
			return Completeness{Status: "invalid"}
		}
	}
	return Completeness{Status: "complete"}
}
