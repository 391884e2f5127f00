// Package plots draws the course's lecture figures with gonum/plot.
//
// The idea: a figure is a function of its parameters. Each figure has an
// options struct whose Defaults constructor holds the lecture's values (the
// seed article's η = 0.1, ε = 1e-8, g = 0.5, …), and a function that runs
// pkg/adagrad with those options and returns the drawing together with the
// numbers behind it:
//
//	o := plots.EffectiveLRDefaults()
//	o.Grad = 2                        // what if the gradient were 2?
//	p, d, err := plots.EffectiveLR(o) // p is a *plot.Plot, d the data
//
// Figures 4 and 7 have several panels and return a *Grid instead, whose
// Plots are the panels' *plot.Plot. Each data type has a Table method: the
// CSV that `adagradlab plots` writes beside the figure.
//
// The notebooks call these same functions, so a learner can change η and see
// the lecture's figure change with it, and the tests check the data against
// pkg/adagrad (figure 2's step-100 point is 0.02, figure 7 is the seed's
// trace). No number in a figure is typed by hand and nothing here
// re-implements Adagrad's update: every Adagrad curve comes from
// adagrad.Optimizer or adagrad.Run. Plain gradient descent, which the package
// does not provide, is written out here as the baseline.
//
// The figures (Figures lists them, Lookup finds one by name):
//
//  1. accumulation: G for a dense parameter (gradient every step) and a sparse one.
//  2. effective-lr: η/√G_t on log-log axes with the seed's checkpoints.
//  3. freeze: Adagrad's effective learning rate against RMSProp and Adam over 100,000 steps.
//  4. trajectories: GD, Adagrad and RMSProp over the contours of an ill-conditioned
//     quadratic, and of one whose second coordinate gets a gradient one step in five.
//  5. zipf: per-row effective learning rate against token frequency in an embedding table.
//  6. loss: a convex run that converges against one that stalls (the seed's question 3).
//  7. trace: the seed's five-step trace, θ, G and the effective rate per step.
//
// Figure 4 tunes each optimizer's η on a log grid (TrajectoriesOptions.Tune);
// TrajectoriesD2L is d2l's own pair of rates on the same problem. The
// notebooks also draw figures outside the lecture set: DecayArgs (what
// lr_decay, weight_decay and the initial accumulator do), Reach (how far a
// constant gradient carries Adagrad: about 2η√t) and SparseRace (SGD
// against Adagrad on a sparse linear model).
//
// # Style and output
//
// A Style fixes the canvas size and the type sizes: Slide (16:9, 13.33 × 7.5
// inches, type readable from the back of a lecture hall) or Paper (6 × 3.7
// inches). Lines take their colours from the Okabe–Ito palette, which stays
// distinguishable under the common forms of colour blindness, and are told
// apart by dash pattern and marker shape as well, so the figures survive a
// grey-scale printer. Render writes PNG, SVG or PDF; the bytes depend only on
// the inputs (fixed random seeds, no time stamps in PDF or SVG). WriteFiles
// writes a whole set with a CSV of each figure's data beside it; it is what
// `adagradlab plots` runs.
//
// Everything exported is non-generic so that the notebooks' interpreter
// (yaegi) can call it.
package plots
