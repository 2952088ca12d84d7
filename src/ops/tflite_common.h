// Shared by the TFLite op families (src/ops/tflite_*.cc): the "tflite" domain, fused activations
// and the requantisation of integer outputs. Options arrive as attributes named after the
// schema's fields (see src/io/tflite_reader.h); tensors are NHWC.
#pragma once

#include <string>

#include "ops/registry.h"

namespace tops::tfl {

inline constexpr const char* kDomain = "tflite";
inline constexpr const char* kCustomDomain = "tflite.custom";

// Other ops per output element of a fused activation, counted as its ONNX twin (docs/ops.md):
// RELU = Relu 1; RELU6, RELU_N1_TO_1 = Clip 2; TANH = Tanh 1; SIGN_BIT = Sign 1; NONE 0. An
// integer output folds the activation into the requantisation clamp: 0.
int64_t FusedActivationOps(const OpContext& ctx);

// True when output 0 is an integer tensor (a quantised kernel): its requantisation (scale,
// round + zero point, clamp) costs 3 ops per output element, as for ONNX QLinearConv.
bool IntegerOutput(const OpContext& ctx);
inline constexpr int64_t kRequantizeOps = 3;

// A hybrid (dynamic-range) kernel: float activations, integer weights at input `w`. The runtime
// quantises the activation input on the fly: 3 ops per input element (min/max scan, scale,
// round).
bool Hybrid(const OpContext& ctx, size_t w);
inline constexpr int64_t kHybridQuantizeOps = 3;

// Register one entry in the tflite domain.
void Add(Registry& r, const char* op, const char* family, std::string formula, ShapeFn shape,
         CostFn cost, OpTraits traits = {});

// Traits of the TFLite MAC layers: data, weight, bias in that order unless said; channels last.
OpTraits LayerTraits(std::vector<Operand> operands = {Operand::kData, Operand::kWeight,
                                                      Operand::kBias});
// An op whose inputs after the first are read as values (shapes, axes, paddings, sizes).
OpTraits ParamTraits(size_t params, bool params_first = false);

// Per-element cost helpers that also count a fused activation.
Cost PerOutputPlusActivation(const OpContext& ctx, int64_t per_elem);

// The cost its shape function worked out from its subgraphs (IF, WHILE, CALL, StableHLO bodies).
Cost SubgraphCost(const OpContext& ctx);

// Family registration (one file each).
void RegisterConvFamily(Registry& r);         // tflite_conv.cc
void RegisterElementwiseFamily(Registry& r);  // tflite_elementwise.cc
void RegisterTensorFamily(Registry& r);       // tflite_tensor.cc
void RegisterReduceFamily(Registry& r);       // tflite_reduce.cc
void RegisterSequenceFamily(Registry& r);     // tflite_sequence.cc (RNN, LSTM, control flow)
void RegisterCustomFamily(Registry& r);       // tflite_custom.cc (detection, NMS, misc)
void RegisterStablehloFamily(Registry& r);    // tflite_stablehlo.cc (ops with a body, windows)

}  // namespace tops::tfl
