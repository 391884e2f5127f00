package adagrad

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// FullMatrix is full-matrix AdaGrad (Duchi, Hazan & Singer, 2011, §1.1):
// instead of one accumulator per parameter it keeps the whole outer-product
// sum G = Σ g gᵀ and preconditions with its matrix square root,
//
//	θ ← θ − η (δI + G^½)⁻¹ g          (EpsInside false: the paper's form)
//	θ ← θ − η (G + δI)^(−½) g         (EpsInside true)
//
// It captures correlations between coordinates that diagonal Adagrad
// ignores, at O(n²) memory and an O(n³) eigendecomposition per step, which
// is why it is for small n only: diagonal Adagrad is its diag(G) special
// case, and with gradients that stay on the coordinate axes the two agree.
type FullMatrix struct {
	LR        float64 // η
	Delta     float64 // δ, ε's role
	EpsInside bool

	G   *mat.SymDense // Σ g gᵀ
	eig mat.EigenSym
}

// NewFullMatrix returns full-matrix AdaGrad for n parameters.
func NewFullMatrix(lr, delta float64, n int) (*FullMatrix, error) {
	if err := (Config{LR: lr, Eps: delta}).Validate(); err != nil {
		return nil, err
	}
	if n <= 0 {
		return nil, fmt.Errorf("adagrad: full-matrix AdaGrad needs n > 0, got %d", n)
	}
	return &FullMatrix{LR: lr, Delta: delta, G: mat.NewSymDense(n, nil)}, nil
}

// Step applies one update to theta in place.
func (f *FullMatrix) Step(theta, grad []float64) error {
	n := f.G.SymmetricDim()
	if len(theta) != n || len(grad) != n {
		return fmt.Errorf("%w: %d parameters, theta has %d, grad %d", ErrShape, n, len(theta), len(grad))
	}
	g := mat.NewVecDense(n, append([]float64(nil), grad...))
	f.G.SymRankOne(f.G, 1, g)
	dir, err := f.precondition(g)
	if err != nil {
		return err
	}
	for i := range theta {
		theta[i] -= f.LR * dir.AtVec(i)
	}
	return nil
}

// precondition returns H⁻¹ g with H = δI + G^½ (or (G+δI)^½): in G's
// eigenbasis Q the matrix is diagonal, so H⁻¹ g = Q diag(1/h(λ)) Qᵀ g.
func (f *FullMatrix) precondition(g *mat.VecDense) (*mat.VecDense, error) {
	if !f.eig.Factorize(f.G, true) {
		return nil, fmt.Errorf("adagrad: eigendecomposition of G failed")
	}
	var q mat.Dense
	f.eig.VectorsTo(&q)
	lambda := f.eig.Values(nil)
	var c mat.VecDense
	c.MulVec(q.T(), g) // coordinates of g in the eigenbasis
	for i, l := range lambda {
		l = math.Max(l, 0) // G is PSD; round-off can make 0 slightly negative
		var h float64
		if f.EpsInside {
			h = math.Sqrt(l + f.Delta)
		} else {
			h = math.Sqrt(l) + f.Delta
		}
		if h == 0 {
			// Zero curvature and δ = 0: this direction has seen no gradient,
			// and g has no component along it either.
			c.SetVec(i, 0)
			continue
		}
		c.SetVec(i, c.AtVec(i)/h)
	}
	var out mat.VecDense
	out.MulVec(&q, &c)
	return &out, nil
}
