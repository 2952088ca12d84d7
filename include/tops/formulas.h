// Back-of-envelope layer formulas (the seed article's `conv2d_macs` and friends), for users
// without a model file and for `tops calc`. All return exact MACs; throw tops::Error on
// non-positive sizes or int64 overflow.
#pragma once

#include <cstdint>
#include <string>

namespace tops {

// Conv2d: cout * (cin/groups) * kh * kw * out_h * out_w * batch.
int64_t Conv2dMacs(int64_t cin, int64_t cout, int64_t kernel_h, int64_t kernel_w, int64_t out_h,
                   int64_t out_w, int64_t groups = 1, int64_t batch = 1);
// Depthwise conv: channels * kh * kw * out_h * out_w * batch (groups == channels).
int64_t DepthwiseMacs(int64_t channels, int64_t kernel_h, int64_t kernel_w, int64_t out_h,
                      int64_t out_w, int64_t batch = 1);
// Linear / Gemm: batch * in_features * out_features.
int64_t LinearMacs(int64_t in_features, int64_t out_features, int64_t batch = 1);
// MatMul [.., M, K] x [.., K, N]: batch * M * K * N.
int64_t MatMulMacs(int64_t m, int64_t k, int64_t n, int64_t batch = 1);

// One layer's count as `tops calc` shows it: the formula in words, MACs, and FLOPs at 2 per MAC.
struct LayerMacs {
  std::string layer;    // "conv2d"
  std::string formula;  // "batch * cout * cin/groups * kh * kw * out_h * out_w"
  int64_t macs = 0;
  int64_t flops = 0;
};
LayerMacs Conv2dLayer(int64_t cin, int64_t cout, int64_t kernel_h, int64_t kernel_w, int64_t out_h,
                      int64_t out_w, int64_t groups = 1, int64_t batch = 1);
LayerMacs DepthwiseLayer(int64_t channels, int64_t kernel_h, int64_t kernel_w, int64_t out_h,
                         int64_t out_w, int64_t batch = 1);
LayerMacs LinearLayer(int64_t in_features, int64_t out_features, int64_t batch = 1);
LayerMacs MatMulLayer(int64_t m, int64_t k, int64_t n, int64_t batch = 1);

}  // namespace tops
