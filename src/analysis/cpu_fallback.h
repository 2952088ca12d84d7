// Ops the NPU does not run: a family's vendor-documented list (Family::cpu_ops) sends them to the
// host CPU, with their activations crossing to it and back (internal to the roofline).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analysis/roofline.h"

namespace tops::analysis {

// Host CPU rate (10^9 ops/s) assumed for fallen-back ops when the family gives no cpu_gops: an
// assumed, conservative figure (no vendor publishes one), said in the caveat. Two Arm Cortex-A
// cores' NEON peak is tens of GOPS; reference kernels of the ops that fall back (exp, erf,
// gather, top-k, non-maximum suppression) reach a fraction of it.
inline constexpr double kDefaultCpuGops = 10;

double CpuGopsOf(const Family& family);
bool IsCpuOp(const Family& family, std::string_view op);

// Makes `w` a CPU item: its ops at the CPU rate plus `transfer_bytes` over `bandwidth_gbs`
// (0: unknown, the transfer not timed).
void PlaceOnCpu(WorkItem* w, double transfer_bytes, const Family& family, double bandwidth_gbs);

// "label: N node(s) run on the CPU on this family: Op1 x3, Op2 x1 (vendor's list: URL)", when
// any did.
void AddCpuFallbackCaveat(const InferenceWork& work, const Profile& profile, const Family& family,
                          const std::string& label, std::vector<Caveat>* caveats);

}  // namespace tops::analysis
