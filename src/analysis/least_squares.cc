#include "analysis/least_squares.h"

#include <algorithm>
#include <cmath>

namespace tops::analysis {
namespace {

double SumSquares(const std::vector<double>& r) {
  double s = 0;
  for (double v : r) s += v * v;
  return std::isfinite(s) ? s : INFINITY;
}

// Solves the n x n system `a` x = b in place by Gaussian elimination with partial pivoting; a
// zero pivot leaves that component 0.
std::vector<double> SolveLinear(std::vector<double> a, std::vector<double> b) {
  const size_t n = b.size();
  for (size_t p = 0; p < n; ++p) {
    size_t piv = p;
    for (size_t q = p + 1; q < n; ++q) {
      if (std::fabs(a[q * n + p]) > std::fabs(a[piv * n + p])) piv = q;
    }
    if (piv != p) {
      for (size_t c = 0; c < n; ++c) std::swap(a[p * n + c], a[piv * n + c]);
      std::swap(b[p], b[piv]);
    }
    if (std::fabs(a[p * n + p]) < 1e-300) continue;
    for (size_t q = p + 1; q < n; ++q) {
      const double f = a[q * n + p] / a[p * n + p];
      for (size_t c = p; c < n; ++c) a[q * n + c] -= f * a[p * n + c];
      b[q] -= f * b[p];
    }
  }
  std::vector<double> x(n, 0);
  for (size_t p = n; p-- > 0;) {
    double v = b[p];
    for (size_t q = p + 1; q < n; ++q) v -= a[p * n + q] * x[q];
    x[p] = std::fabs(a[p * n + p]) < 1e-300 ? 0 : v / a[p * n + p];
  }
  return x;
}

}  // namespace

ResidualFn NumericJacobian(
    std::function<void(const std::vector<double>& u, std::vector<double>& r)> residuals) {
  return
      [residuals](const std::vector<double>& u, std::vector<double>& r, std::vector<double>* jac) {
        residuals(u, r);
        if (!jac) return;
        const size_t n = u.size(), m = r.size();
        jac->assign(m * n, 0);
        std::vector<double> v = u, r1;
        for (size_t k = 0; k < n; ++k) {
          const double h = 1e-6;
          v[k] = u[k] + h;
          residuals(v, r1);
          v[k] = u[k];
          for (size_t i = 0; i < m && i < r1.size(); ++i) (*jac)[i * n + k] = (r1[i] - r[i]) / h;
        }
      };
}

std::vector<double> LevenbergMarquardt(const ResidualFn& f, std::vector<double> u,
                                       const std::vector<double>& lo, const std::vector<double>& hi,
                                       int max_iter) {
  const size_t n = u.size();
  for (size_t k = 0; k < n; ++k) u[k] = std::clamp(u[k], lo[k], hi[k]);
  std::vector<double> r, jac, r_next;
  f(u, r, &jac);
  double cost = SumSquares(r);
  double lambda = 1e-3;
  for (int iter = 0; iter < max_iter; ++iter) {
    const size_t m = r.size();
    std::vector<double> a(n * n, 0), g(n, 0);
    for (size_t i = 0; i < m; ++i) {
      const double* row = &jac[i * n];
      for (size_t p = 0; p < n; ++p) {
        if (row[p] == 0) continue;
        g[p] += row[p] * r[i];
        for (size_t q = 0; q < n; ++q) a[p * n + q] += row[p] * row[q];
      }
    }
    bool improved = false;
    for (int tries = 0; tries < 20 && !improved; ++tries) {
      std::vector<double> s = a, b(n);
      for (size_t p = 0; p < n; ++p) {
        s[p * n + p] += lambda * (a[p * n + p] + 1e-9);
        b[p] = -g[p];
      }
      const std::vector<double> d = SolveLinear(std::move(s), std::move(b));
      std::vector<double> next = u;
      for (size_t p = 0; p < n; ++p) {
        next[p] = std::clamp(u[p] + std::clamp(d[p], -3.0, 3.0), lo[p], hi[p]);
      }
      f(next, r_next, nullptr);
      const double c = SumSquares(r_next);
      if (c < cost) {
        const double gain = cost - c;
        u = std::move(next);
        cost = c;
        f(u, r, &jac);
        lambda = std::max(lambda / 3, 1e-9);
        improved = true;
        if (gain < 1e-12 * std::max(1.0, cost)) return u;
      } else {
        lambda *= 4;
      }
    }
    if (!improved) break;
  }
  return u;
}

double PseudoHuberWeight(double r, double delta) {
  return 1.0 / std::sqrt(1.0 + (r / delta) * (r / delta));
}

double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const size_t i = static_cast<size_t>(std::floor(pos));
  const double f = pos - static_cast<double>(i);
  return i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}

}  // namespace tops::analysis
