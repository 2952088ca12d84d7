// The CPU part of the chip catalog: core designs (`cpu_cores`, each core's FP32 FLOP/cycle with
// its source) and each chip's `cpu` (its cores as the vendor lists them, and the rate the ops
// its NPU does not run get, derived from those cores unless the file gives one).
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <vector>

#include "tops/chip.h"

namespace tops {

// "4x Cortex-A76 @ 2.4 GHz + 4x Cortex-A55 @ 1.8 GHz" -> clusters; an empty list with `error`
// set when the text is not of that form.
std::vector<CpuCluster> ParseCpuClusters(const std::string& text, std::string* error);

// A chip's `cpu` map ({cores, source, gops, note}); errors name the file, the chip and the field.
ChipCpu ParseChipCpu(const YAML::Node& node, const std::string& label, const std::string& chip_id,
                     const std::string& chip_source);

// The top-level `cpu_cores` list of a catalog file.
void ParseCpuCores(const YAML::Node& node, const std::string& label,
                   std::map<std::string, CpuCore>& cores);

// Every cluster names a known core; throws naming the chip's file, the chip and `cpu.cores`.
void ValidateChipCpu(const Chip& chip, const std::map<std::string, CpuCore>& cores);

// The rate derived from the clusters: sum of cores x GHz x FP32 FLOP/cycle, times the gemm
// efficiency of `efficiency` (kCpuEfficiencyFamily). Unknown when a core's figure or the
// efficiency is unknown.
Figure DeriveCpuGops(const ChipCpu& cpu, const std::map<std::string, CpuCore>& cores,
                     const Family* efficiency);

}  // namespace tops
