// Each subcommand lives in its own cmd_*.cc and registers itself on the app here. Callbacks
// throw tops::Error for bad input (exit 2) and call SetExitCode(1) for "does not fit".
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "tops/output.h"

namespace tops::cli {

// The tops app with every subcommand (app.cc); main.cc and tools/docgen use it.
void BuildApp(CLI::App& app);

void AddProfileCommand(CLI::App& app);
void AddCalcCommand(CLI::App& app);
void AddOpsCommand(CLI::App& app);      // ops (docs/ops.md)
void AddFitCommands(CLI::App& app);     // require, fit, rank, chips
void AddWhatifCommands(CLI::App& app);  // whatif, compare
void AddReportCommand(CLI::App& app);

void AddLlmCommand(CLI::App& app);  // llm, llm-calibrate
void AddCalibrateCommand(CLI::App& app);

// The built-in catalog plus the user's --chips files (cmd_fit.cc).
Catalog LoadCatalog(const std::vector<std::string>& files);

// `tops rank MODEL --tokens-per-s N`: which chips run a language model (cmd_llm.cc).
struct LlmRankArgs {
  double tokens_per_s = 0;
  int64_t context = 4096;
  int64_t prompt = 0;  // 0: half the context
  std::string quant = "w4a16";
  std::string kv = "fp16";
};
void AddLlmRankOptions(CLI::App* cmd, LlmRankArgs* args);
void RunLlmRank(const std::vector<std::string>& models, const std::vector<std::string>& chip_files,
                const LlmRankArgs& args, Format format);
// Help of --value, on every command that takes --input and --dim.
inline constexpr const char* kValueHelp =
    "Values of a small graph input, NAME=V1,V2,... (a size or threshold the graph computes "
    "shapes from); repeatable";

// Sets up the heap for a process that runs one command and exits (heap.cc): large blocks from
// the heap rather than their own mappings, nothing returned to the kernel before exit, and huge
// pages advised where the kernel offers them. Page faults were a fifth of the CPU time of
// `tops profile` on a 6,500-node model; this takes most of them away. Call first in main().
void PrepareHeap();

void SetExitCode(int code);
int ExitCode();

// Moves a large result (a model, its profile) to the heap and never frees it. The process ends
// right after its command, and the kernel takes the memory back at once: destroying a
// 6,000-node model and its profile object by object costs about a tenth of `tops profile`'s CPU
// time. The objects stay reachable from a list that is never destroyed either, so
// LeakSanitizer does not count them as leaks.
std::vector<const void*>& KeptUntilExit();
template <typename T>
const T& KeepUntilExit(T&& value) {
  const T* kept = new T(std::move(value));
  KeptUntilExit().push_back(kept);
  return *kept;
}

}  // namespace tops::cli
