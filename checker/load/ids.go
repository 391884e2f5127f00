package load

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A gradebook id must name one learner and only one, and be safe to print.
// So ids are normalised (NFC: "é" typed two ways is one id), made printable
// (a control character, an ESC or a right-to-left override is shown as
// \x1b, \u202e, never sent to a terminal), and compared by a skeleton that
// also folds case and letters that look alike across alphabets (Cyrillic
// "а" and Latin "a"). When two files share a skeleton, neither is "the
// real one": each id is qualified by where its file came from, and each
// gets a warning naming the other. A file cannot push another's id aside.

// Printable returns s with every character that is not plainly visible
// written as a Go escape: control and format characters, odd spaces,
// invalid UTF-8, and the combining marks of a name not in NFC (so that
// "josé" typed two ways is shown two ways).
func Printable(s string) string {
	nfc := norm.NFC.IsNormalString(s)
	if nfc && isPlain(s) {
		return s
	}
	var b strings.Builder
	for i, w := 0, 0; i < len(s); i += w {
		r, n := utf8.DecodeRuneInString(s[i:])
		w = n
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case plainRune(r) && (nfc || !unicode.Is(unicode.Mn, r)):
			b.WriteRune(r)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	return b.String()
}

func isPlain(s string) bool {
	for _, r := range s {
		if !plainRune(r) || r == utf8.RuneError {
			return false
		}
	}
	return true
}

func plainRune(r rune) bool {
	if r == ' ' {
		return true
	}
	if r == '\\' { // so that an escape in the output is always ours
		return false
	}
	return unicode.IsGraphic(r) && !unicode.Is(unicode.Zs, r) && !unicode.Is(unicode.Cf, r)
}

// skeleton is the collision key of an id.
func skeleton(id string) string {
	id = strings.ToLower(norm.NFKC.String(id))
	var b strings.Builder
	for _, r := range id {
		if l, ok := lookalike[r]; ok {
			r = l
		}
		b.WriteRune(r)
	}
	return b.String()
}

// lookalike maps lower-case Cyrillic and Greek letters to the Latin letters
// they are drawn like in common fonts.
var lookalike = map[rune]rune{
	'а': 'a', 'в': 'b', 'с': 'c', 'ԁ': 'd', 'е': 'e', 'һ': 'h', 'і': 'i', 'ј': 'j', 'к': 'k',
	'ӏ': 'l', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'ԛ': 'q', 'ѕ': 's', 'т': 't', 'у': 'y',
	'ѡ': 'w', 'ԝ': 'w', 'х': 'x', 'ү': 'y', 'ё': 'e', 'ї': 'i',
	'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p',
	'τ': 't', 'υ': 'u', 'χ': 'x', 'ω': 'w',
}

// scripts names the alphabets among id's letters that are easily mixed up.
func scripts(id string) []string {
	var out []string
	for _, s := range []struct {
		name string
		tab  *unicode.RangeTable
	}{{"Latin", unicode.Latin}, {"Cyrillic", unicode.Cyrillic}, {"Greek", unicode.Greek}, {"Armenian", unicode.Armenian}} {
		if strings.IndexFunc(id, func(r rune) bool { return unicode.Is(s.tab, r) }) >= 0 {
			out = append(out, s.name)
		}
	}
	return out
}

// assignIDs makes the items' ids printable and unambiguous, and says why
// where a person should look.
func assignIDs(items []*Item) {
	groups := map[string][]*Item{}
	for _, it := range items {
		it.ID = Printable(norm.NFC.String(it.ID))
		if it.ID == "" {
			it.ID = "_"
		}
		k := skeleton(it.ID)
		groups[k] = append(groups[k], it)
		if sc := scripts(it.ID); len(sc) > 1 {
			it.Warning = fmt.Sprintf("the id %q mixes %s letters", it.ID, strings.Join(sc, " and "))
		}
	}
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		for _, it := range g {
			var others []string
			for _, o := range g {
				if o != it {
					others = append(others, o.where)
				}
			}
			w := fmt.Sprintf("the id %q is claimed by %d files: this one and %s", it.ID, len(g), strings.Join(others, ", "))
			if it.Warning != "" {
				w = it.Warning + "; " + w
			}
			it.Warning = w
			it.ID = it.ID + " (" + it.where + ")"
		}
	}
	// The same file name twice in one zip: number them, in order.
	seen := map[string]int{}
	for _, it := range items {
		seen[it.ID]++
		if n := seen[it.ID]; n > 1 {
			it.ID = fmt.Sprintf("%s #%d", it.ID, n)
		}
	}
}

// clipText cuts s to at most max bytes on a character boundary.
func clipText(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (cut at %d KiB)", max>>10)
}
