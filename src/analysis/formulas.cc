// The seed article's back-of-envelope layer formulas (conv2d_macs and friends), exact.
#include "tops/formulas.h"

#include <string>

#include "core/checked.h"
#include "tops/error.h"

namespace tops {
namespace {

void RequirePositive(int64_t v, const char* name) {
  if (v <= 0)
    throw Error(std::string(name) + " must be a positive integer, got " + std::to_string(v));
}

}  // namespace

int64_t Conv2dMacs(int64_t cin, int64_t cout, int64_t kernel_h, int64_t kernel_w, int64_t out_h,
                   int64_t out_w, int64_t groups, int64_t batch) {
  RequirePositive(cin, "cin");
  RequirePositive(cout, "cout");
  RequirePositive(kernel_h, "kernel height");
  RequirePositive(kernel_w, "kernel width");
  RequirePositive(out_h, "output height");
  RequirePositive(out_w, "output width");
  RequirePositive(groups, "groups");
  RequirePositive(batch, "batch");
  if (cin % groups != 0 || cout % groups != 0) {
    throw Error("groups (" + std::to_string(groups) + ") must divide cin (" + std::to_string(cin) +
                ") and cout (" + std::to_string(cout) + ")");
  }
  int64_t m = CheckedMul(batch, cout, "MACs");
  m = CheckedMul(m, cin / groups, "MACs");
  m = CheckedMul(m, kernel_h, "MACs");
  m = CheckedMul(m, kernel_w, "MACs");
  m = CheckedMul(m, out_h, "MACs");
  return CheckedMul(m, out_w, "MACs");
}

int64_t DepthwiseMacs(int64_t channels, int64_t kernel_h, int64_t kernel_w, int64_t out_h,
                      int64_t out_w, int64_t batch) {
  return Conv2dMacs(channels, channels, kernel_h, kernel_w, out_h, out_w, channels, batch);
}

int64_t LinearMacs(int64_t in_features, int64_t out_features, int64_t batch) {
  RequirePositive(in_features, "in features");
  RequirePositive(out_features, "out features");
  RequirePositive(batch, "batch");
  return CheckedMul(CheckedMul(batch, in_features, "MACs"), out_features, "MACs");
}

int64_t MatMulMacs(int64_t m, int64_t k, int64_t n, int64_t batch) {
  RequirePositive(m, "M");
  RequirePositive(k, "K");
  RequirePositive(n, "N");
  RequirePositive(batch, "batch");
  return CheckedMul(CheckedMul(CheckedMul(batch, m, "MACs"), k, "MACs"), n, "MACs");
}

namespace {
LayerMacs Layer(const char* layer, const char* formula, int64_t macs) {
  return {layer, formula, macs, CheckedMul(macs, int64_t{2}, "FLOPs")};
}
}  // namespace

LayerMacs Conv2dLayer(int64_t cin, int64_t cout, int64_t kernel_h, int64_t kernel_w, int64_t out_h,
                      int64_t out_w, int64_t groups, int64_t batch) {
  return Layer("conv2d", "batch * cout * cin/groups * kh * kw * out_h * out_w",
               Conv2dMacs(cin, cout, kernel_h, kernel_w, out_h, out_w, groups, batch));
}

LayerMacs DepthwiseLayer(int64_t channels, int64_t kernel_h, int64_t kernel_w, int64_t out_h,
                         int64_t out_w, int64_t batch) {
  return Layer("depthwise", "batch * channels * kh * kw * out_h * out_w",
               DepthwiseMacs(channels, kernel_h, kernel_w, out_h, out_w, batch));
}

LayerMacs LinearLayer(int64_t in_features, int64_t out_features, int64_t batch) {
  return Layer("linear", "batch * in_features * out_features",
               LinearMacs(in_features, out_features, batch));
}

LayerMacs MatMulLayer(int64_t m, int64_t k, int64_t n, int64_t batch) {
  return Layer("matmul", "batch * M * K * N", MatMulMacs(m, k, n, batch));
}

}  // namespace tops
