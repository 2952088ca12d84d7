// Is this model already quantised, and to what? A model that carries QuantizeLinear /
// DequantizeLinear pairs, integer operators (QLinearConv, QLinearMatMul, ConvInteger,
// MatMulInteger) or integer weights fixes its own deployment precision: an analysis must take
// the precision from the graph instead of from a flag. Float models whose weights are all FP16
// (or BF16) also state their precision. Detection reads op types and tensor dtypes only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tops/chip.h"
#include "tops/graph.h"

namespace tops {

struct QuantInfo {
  // True when the graph holds Q/DQ or integer-arithmetic operators, or integer weights read by
  // a MAC layer.
  bool quantized = false;
  // Precision the graph fixes: the narrowest integer type of the quantised weights (int8 for
  // 8-bit, int4 for 4-bit), or fp16/bf16 for a float model stored at 16 bits. nullopt for an
  // FP32 model, and for quantisation to a width tops has no peak for (int16).
  std::optional<Precision> precision;
  // Why, one line per kind of evidence: "QuantizeLinear x 12", "int8 initializers: 53".
  std::vector<std::string> evidence;
};

// Walks the graph and its subgraphs (If/Loop/Scan bodies). Which ops quantise, dequantise or
// compute on integers, and which input holds the zero point, come from the op registry.
QuantInfo DetectQuantization(const Model& model);

// Where the precision of an answer came from.
enum class PrecisionSource {
  kOption,  // asked for (or the int8 default)
  kGraph,   // fixed by the model's graph (quantised, or float16 weights)
};
std::string_view PrecisionSourceName(PrecisionSource s);  // "option", "graph"

}  // namespace tops
