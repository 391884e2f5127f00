package plots

import "testing"

// On the sparse model Adagrad, each at its best η, ends far below SGD, and
// the reason shows in the rates: a rare feature keeps a rate many times a
// frequent one's.
func TestSparseRaceAdagradWins(t *testing.T) {
	o := SparseRaceDefaults()
	_, d, err := SparseRace(o)
	if err != nil {
		t.Fatal(err)
	}
	if !(d.AdagradFinal < d.SGDFinal/3) {
		t.Errorf("Adagrad %g (η = %g) against SGD %g (η = %g): want a third or less", d.AdagradFinal, d.AdagradRate, d.SGDFinal, d.SGDRate)
	}
	if d.SGDRate == o.SGDRates[len(o.SGDRates)-1] {
		t.Errorf("SGD's best η is the grid's largest (%g): widen the grid to show where it diverges", d.SGDRate)
	}
	if !(d.RareLR > 5*d.FrequentLR) {
		t.Errorf("rates at the end: rare %g, frequent %g", d.RareLR, d.FrequentLR)
	}
	// What notebook 04 says: a little more η and SGD diverges.
	o.SGDRates = []float64{0.06}
	if _, _, err := SparseRace(o); err == nil {
		t.Error("SGD with η = 0.06 did not diverge")
	}
	t.Logf("SGD η=%g → %.4f; Adagrad η=%g → %.4f; rates frequent %.4f, rare %.4f", d.SGDRate, d.SGDFinal, d.AdagradRate, d.AdagradFinal, d.FrequentLR, d.RareLR)
}
