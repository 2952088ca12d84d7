// Names of the catalog's enums and small accessors of Chip.
#include "tops/chip.h"

#include <algorithm>
#include <string>

#include "core/text.h"

namespace tops {

std::string_view PrecisionName(Precision p) {
  switch (p) {
    case Precision::kInt4:
      return "int4";
    case Precision::kInt8:
      return "int8";
    case Precision::kFp16:
      return "fp16";
    case Precision::kBf16:
      return "bf16";
    case Precision::kFp32:
      return "fp32";
  }
  return "?";
}

std::optional<Precision> ParsePrecision(std::string_view text) {
  const std::string t = AsciiLower(text);
  if (t == "int4") return Precision::kInt4;
  if (t == "int8") return Precision::kInt8;
  if (t == "fp16" || t == "float16" || t == "half") return Precision::kFp16;
  if (t == "bf16" || t == "bfloat16") return Precision::kBf16;
  if (t == "fp32" || t == "float32" || t == "float") return Precision::kFp32;
  return std::nullopt;
}

int PrecisionBits(Precision p) {
  switch (p) {
    case Precision::kInt4:
      return 4;
    case Precision::kInt8:
      return 8;
    case Precision::kFp16:
    case Precision::kBf16:
      return 16;
    case Precision::kFp32:
      return 32;
  }
  return 0;
}

const std::vector<Precision>& AllPrecisions() {
  static const std::vector<Precision> kAll = {Precision::kInt4, Precision::kInt8, Precision::kFp16,
                                              Precision::kBf16, Precision::kFp32};
  return kAll;
}

std::string_view FigureStatusName(FigureStatus s) {
  switch (s) {
    case FigureStatus::kPublished:
      return "published";
    case FigureStatus::kDerived:
      return "derived";
    case FigureStatus::kUnverified:
      return "unverified";
  }
  return "?";
}

std::string_view ChipKindName(ChipKind k) {
  switch (k) {
    case ChipKind::kNpu:
      return "npu";
    case ChipKind::kGpu:
      return "gpu";
    case ChipKind::kSoc:
      return "soc";
    case ChipKind::kCpu:
      return "cpu";
    case ChipKind::kAccelerator:
      return "accelerator";
  }
  return "?";
}

std::string_view OpClassName(OpClass c) {
  switch (c) {
    case OpClass::kConv:
      return "conv";
    case OpClass::kDepthwise:
      return "depthwise";
    case OpClass::kGemm:
      return "gemm";
    case OpClass::kAttention:
      return "attention";
    case OpClass::kSoftmax:
      return "softmax";
    case OpClass::kNorm:
      return "norm";
    case OpClass::kElementwise:
      return "elementwise";
    case OpClass::kDataMovement:
      return "data_movement";
  }
  return "?";
}

const std::vector<OpClass>& AllOpClasses() {
  static const std::vector<OpClass> kAll = {
      OpClass::kConv,    OpClass::kDepthwise, OpClass::kGemm,        OpClass::kAttention,
      OpClass::kSoftmax, OpClass::kNorm,      OpClass::kElementwise, OpClass::kDataMovement};
  return kAll;
}

double Family::PeakShareOf(const std::string& chip, Precision precision) const {
  double share = 1;
  if (auto it = peak_share.find(chip); it != peak_share.end()) share *= it->second;
  const std::string key = chip + "/" + std::string(PrecisionName(precision));
  if (auto it = peak_share.find(key); it != peak_share.end()) share *= it->second;
  return share;
}

double Family::OverheadShareOf(const std::string& chip) const {
  auto it = overhead_share.find(chip);
  return it == overhead_share.end() ? 1.0 : it->second;
}

const Figure& EfficiencyOf(const Family& family, OpClass c) {
  auto it = family.efficiency.find(c);
  if (it != family.efficiency.end()) return it->second;
  switch (c) {
    case OpClass::kAttention:
      return EfficiencyOf(family, OpClass::kGemm);
    case OpClass::kSoftmax:
    case OpClass::kNorm:
    case OpClass::kDataMovement:
      return EfficiencyOf(family, OpClass::kElementwise);
    default:
      break;
  }
  static const Figure kUnknown;
  return kUnknown;
}

const Figure* Chip::DensePeak(Precision p) const {
  auto it = peaks.find(p);
  if (it == peaks.end() || !it->second.dense.known()) return nullptr;
  return &it->second.dense;
}

}  // namespace tops
