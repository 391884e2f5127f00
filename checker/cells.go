package checker

import (
	"go/scanner"
	"go/token"
)

// splitCell cuts a notebook cell into runs of top-level declarations
// (import, func, type, const, var) and runs of statements, in order. yaegi
// evaluates a source as one kind or the other, never both, while cells mix
// them freely (the kernel splits them the same way before evaluating).
func splitCell(src string) []string {
	fset := token.NewFileSet()
	file := fset.AddFile("cell", -1, len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), nil, 0)
	type stmt struct {
		from, to int
		decl     bool
	}
	var stmts []stmt
	depth, start := 0, -1
	var first token.Token
	for {
		pos, tok, _ := s.Scan()
		if tok == token.EOF {
			break
		}
		off := file.Offset(pos)
		switch tok {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			depth--
		}
		if tok == token.SEMICOLON && depth <= 0 {
			if start >= 0 {
				stmts = append(stmts, stmt{start, off, isDecl(first)})
				start = -1
			}
			continue
		}
		if start < 0 {
			start, first = off, tok
		}
	}
	if start >= 0 {
		stmts = append(stmts, stmt{start, len(src), isDecl(first)})
	}
	var out []string
	for i := 0; i < len(stmts); {
		j := i
		for j+1 < len(stmts) && stmts[j+1].decl == stmts[i].decl {
			j++
		}
		out = append(out, src[stmts[i].from:stmts[j].to])
		i = j + 1
	}
	return out
}

func isDecl(t token.Token) bool {
	switch t {
	case token.IMPORT, token.FUNC, token.TYPE, token.CONST, token.VAR, token.PACKAGE:
		return true
	}
	return false
}
