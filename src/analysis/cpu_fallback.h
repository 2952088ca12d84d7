// Ops the NPU does not run: a family's vendor-documented list (Family::cpu_ops) sends them to the
// chip's CPU (Chip::cpu), with their activations crossing to it and back (internal to the
// roofline).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analysis/roofline.h"

namespace tops::analysis {

// CPU rate (10^9 ops/s) assumed for fallen-back ops when the chip has no CPU in the catalog (an
// accelerator on a USB / PCIe link runs them on the user's host, which tops does not know): an
// assumed, conservative figure, said in the caveat. Two Arm Cortex-A cores' NEON peak is tens of
// GOPS; reference kernels of the ops that fall back (exp, erf, gather, top-k, non-maximum
// suppression) reach a fraction of it.
inline constexpr double kDefaultCpuGops = 10;

// The chip's CPU rate, or kDefaultCpuGops when it has none (`cpu` null or unknown rate).
double CpuGopsOf(const ChipCpu* cpu);
bool IsCpuOp(const Family& family, std::string_view op);

// Makes `w` a CPU item: its ops at `cpu_gops` plus `transfer_bytes` over `bandwidth_gbs`
// (0: unknown, the transfer not timed).
void PlaceOnCpu(WorkItem* w, double transfer_bytes, double cpu_gops, double bandwidth_gbs);

// "label: N node(s) run on the CPU on this family: Op1 x3, Op2 x1 (vendor's list: URL); ...;
// CPU (its cores) at R GOPS (derived: how)", when any did.
void AddCpuFallbackCaveat(const InferenceWork& work, const Profile& profile, const Family& family,
                          const ChipCpu* cpu, const std::string& label,
                          std::vector<Caveat>* caveats);

}  // namespace tops::analysis
