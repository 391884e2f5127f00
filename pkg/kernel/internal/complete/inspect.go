package complete

import (
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"
)

// Inspect describes the identifier under the cursor (UTF-16 units): for a
// package member its Go declaration and doc, for a session global its
// type, for a package its import path and doc.
func Inspect(code string, cursor int, env Env) (string, bool) {
	pos := ByteOffset(code, cursor)
	// Extend to the end of the identifier the cursor is in.
	end := pos
	for end < len(code) {
		r, size := utf8.DecodeRuneInString(code[end:])
		if !isIdentRune(r) {
			break
		}
		end += size
	}
	qual, word, _ := wordBefore(code, end)
	if word == "" && end > 0 && code[end-1] == '(' {
		// "f(|": inspect the function being called.
		qual, word, _ = wordBefore(code, end-1)
	}
	if word == "" {
		return "", false
	}
	if qual != "" {
		p := lookupPkg(qual, code, env)
		if p == nil {
			if t, tp := typeOfVar(qual, env); t != nil {
				return describeMember(tp, t, word)
			}
			if t, ok := env.Types[qual]; ok {
				return fmt.Sprintf("%s.%s\n\n%s is a %s", qual, word, qual, t), true
			}
			return "", false
		}
		v, ok := p.syms[word]
		if !ok {
			return "", false
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s\n", describe(p, word, v))
		if d := Doc(p.path, word); d != "" {
			fmt.Fprintf(&b, "\n%s", d)
		}
		return strings.TrimRight(b.String(), "\n"), true
	}
	if t, ok := env.Types[word]; ok {
		return fmt.Sprintf("var %s %s", word, t), true
	}
	if p := lookupPkg(word, code, env); p != nil {
		s := fmt.Sprintf("package %s // import %q", p.name, p.path)
		if d := Doc(p.path, ""); d != "" {
			s += "\n\n" + d
		}
		return s, true
	}
	for _, src := range append(append([]string(nil), env.History...), code) {
		if decl := findDecl(src, word); decl != "" {
			return decl, true
		}
	}
	return "", false
}

// describe renders a symbol's declaration from its reflect value.
func describe(p *pkgInfo, name string, v reflect.Value) string {
	q := p.name + "." + name
	if !v.IsValid() {
		return q
	}
	t := v.Type()
	switch {
	case t.Kind() == reflect.Func:
		return "func " + q + strings.TrimPrefix(t.String(), "func")
	case t.Kind() == reflect.Pointer && v.IsNil():
		// yaegi tables give a type as a nil pointer to it.
		e := t.Elem()
		if e.Kind() == reflect.Interface {
			return "type " + q + " interface"
		}
		return "type " + q + " " + e.Kind().String()
	case t.Kind() == reflect.Pointer:
		return "var " + q + " " + t.Elem().String()
	default:
		return fmt.Sprintf("const %s %s = %v", q, t, v)
	}
}

// findDecl returns the line that declares name in src, if any.
func findDecl(src, name string) string {
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		for _, pre := range []string{"func " + name + "(", "type " + name + " ", "var " + name + " ", "const " + name + " ", name + " :=", name + ":="} {
			if strings.HasPrefix(t, pre) {
				return strings.TrimSuffix(t, "{")
			}
		}
	}
	return ""
}

// describeMember shows a method's or field's signature and doc.
func describeMember(p *pkgInfo, t reflect.Type, name string) (string, bool) {
	var head string
	if m, ok := reflect.PointerTo(t).MethodByName(name); ok {
		sig := strings.TrimPrefix(m.Type.String(), "func(*"+t.String())
		sig = strings.TrimPrefix(sig, ", ")
		if strings.HasPrefix(sig, ")") {
			head = fmt.Sprintf("func (*%s) %s(%s", t, name, strings.TrimPrefix(sig, ")"))
			head = strings.Replace(head, "((", "(", 1)
		} else {
			head = fmt.Sprintf("func (*%s) %s(%s", t, name, sig)
		}
	} else if t.Kind() == reflect.Struct {
		f, ok := t.FieldByName(name)
		if !ok || !f.IsExported() {
			return "", false
		}
		head = fmt.Sprintf("field %s.%s %s", t, name, f.Type)
	} else {
		return "", false
	}
	if d := Doc(p.path, t.Name()+"."+name); d != "" {
		head += "\n\n" + d
	}
	return head, true
}
