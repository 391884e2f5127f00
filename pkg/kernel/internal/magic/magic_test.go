package magic

import "testing"

func TestParse(t *testing.T) {
	c, err := Parse("%time\nx := 1\nx")
	if err != nil || !c.Has("time") || c.Code != "\nx := 1\nx" {
		t.Fatalf("%+v %v", c, err)
	}
	if c, _ := Parse("x := 1 % 2"); len(c.Magics) != 0 || c.Code != "x := 1 % 2" {
		t.Fatalf("%+v", c)
	}
	if _, err := Parse("%bogus"); err == nil {
		t.Fatal("unknown magic accepted")
	}
	if c, _ := Parse("%%time\n%help"); !c.Has("time") || !c.Has("help") {
		t.Fatalf("%+v", c)
	}
}
