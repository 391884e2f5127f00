package adagrad

import "math"

// float is the element type of the step loops. The exported optimizers are
// concrete (yaegi cannot call generic code); only these loops are shared.
type float interface{ ~float32 | ~float64 }

// sqrt rounds once for float32: the float64 root of a float32 rounded back
// to float32 is the correctly rounded float32 root, and the compiler turns
// this pattern into a single-precision instruction.
func sqrt[T float](x T) T { return T(math.Sqrt(float64(x))) }

// fma is a·b + c with one rounding, as torch's compiled CPU kernels compute
// their multiply-adds. For float32 the product of two float32 is exact in
// float64, so only the final sum is rounded twice (to float64, then to
// float32), which can differ from a single rounding only when the float64
// sum lands exactly halfway between two float32: vanishingly rare.
func fma[T float](a, b, c T) T { return T(math.FMA(float64(a), float64(b), float64(c))) }

// denseStep is PyTorch's single-tensor dense Adagrad with the same order of
// operations, fused where torch's kernels fuse, so results round the way
// torch's do:
//
//	g = −g (maximize); g = fma(λ, θ, g); G = fma(g, g, G); θ = θ + ((−clr)·g)/(√G + ε)
//
// Elsewhere the explicit T(...) conversions keep the compiler from fusing
// a multiply and an add that torch rounds separately.
func denseStep[T float](c *Config, t int, theta, grad, sum []T) {
	negClr := T(-c.StepLR(t))
	eps := T(c.Eps)
	wd := T(c.WeightDecay)
	theta = theta[:len(sum)]
	grad = grad[:len(sum)]
	if !c.Maximize && wd == 0 && !c.EpsInside {
		// The common case, without branches in the loop: this is the one
		// the benchmarks time against a memory copy. A vector loop does
		// what it can where the CPU has one; this loop does the rest.
		done := fastStep(theta, grad, sum, negClr, eps)
		for i := done; i < len(grad); i++ {
			g := grad[i]
			s := fma(g, g, sum[i])
			sum[i] = s
			theta[i] += T(negClr*g) / (sqrt(s) + eps)
		}
		return
	}
	for i, g := range grad {
		if c.Maximize {
			g = -g
		}
		if wd != 0 {
			g = fma(wd, theta[i], g)
		}
		s := fma(g, g, sum[i])
		sum[i] = s
		var d T
		if c.EpsInside {
			d = sqrt(s + eps)
		} else {
			d = sqrt(s) + eps
		}
		theta[i] += T(negClr*g) / d
	}
}

// sparseStep is PyTorch's sparse-gradient path, which rounds differently
// from the dense one: G = G + g·g (two roundings); θ = fma(−clr, g/(√G + ε), θ).
// rows must be distinct (coalesced) and in range.
func sparseStep[T float](c *Config, t int, theta []T, dim int, rows []int, grad, sum []T) {
	negClr := T(-c.StepLR(t))
	eps := T(c.Eps)
	plain := !c.Maximize && !c.EpsInside
	const ahead = 4 // rows prefetched ahead of the one being updated
	for k := 0; k < min(ahead, len(rows)); k++ {
		r := rows[k]
		prefetchRow(theta[r*dim:(r+1)*dim], sum[r*dim:(r+1)*dim])
	}
	for k, r := range rows {
		if k+ahead < len(rows) {
			n := rows[k+ahead]
			prefetchRow(theta[n*dim:(n+1)*dim], sum[n*dim:(n+1)*dim])
		}
		th := theta[r*dim : (r+1)*dim]
		s := sum[r*dim : (r+1)*dim]
		gr := grad[k*dim : (k+1)*dim]
		done := 0
		if plain {
			done = fastRow(th, gr, s, negClr, eps)
		}
		for j := done; j < dim; j++ {
			g := gr[j]
			if c.Maximize {
				g = -g
			}
			sj := s[j] + T(g*g)
			s[j] = sj
			var d T
			if c.EpsInside {
				d = sqrt(sj + eps)
			} else {
				d = sqrt(sj) + eps
			}
			th[j] = fma(negClr, g/d, th[j])
		}
	}
}
