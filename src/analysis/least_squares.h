// Non-linear least squares (Levenberg-Marquardt), shared by the calibration solvers.
#pragma once

#include <functional>
#include <vector>

namespace tops::analysis {

// Fills the residuals r(u) and, when `jac` is not null, the Jacobian d r_i / d u_k (row-major,
// r.size() x u.size()).
using ResidualFn = std::function<void(const std::vector<double>& u, std::vector<double>& r,
                                      std::vector<double>* jac)>;

// A Jacobian by forward differences for a function that only gives residuals.
ResidualFn NumericJacobian(
    std::function<void(const std::vector<double>& u, std::vector<double>& r)> residuals);

// Minimises sum r_i(u)^2 from `u`, each u_k kept within [lo_k, hi_k]. Stops when a step gains
// less than 1e-12 or after `max_iter` steps.
std::vector<double> LevenbergMarquardt(const ResidualFn& f, std::vector<double> u,
                                       const std::vector<double>& lo, const std::vector<double>& hi,
                                       int max_iter = 100);

// The weight iteratively reweighted least squares gives a residual `r` under the pseudo-Huber
// loss of scale `delta`: 1 for small residuals, delta / |r| for large ones.
double PseudoHuberWeight(double r, double delta);

// The q-quantile of `v` (0 <= q <= 1), linear between order statistics; 0 for an empty `v`.
double Quantile(std::vector<double> v, double q);

}  // namespace tops::analysis
