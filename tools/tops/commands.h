// Each subcommand lives in its own cmd_*.cc and registers itself on the app here. Callbacks
// throw tops::Error for bad input (exit 2) and call SetExitCode(1) for "does not fit".
#pragma once

#include <CLI/CLI.hpp>

namespace tops::cli {

void AddProfileCommand(CLI::App& app);
void AddCalcCommand(CLI::App& app);
void AddOpsCommand(CLI::App& app);      // ops (docs/ops.md)
void AddFitCommands(CLI::App& app);     // require, fit, rank, chips
void AddWhatifCommands(CLI::App& app);  // whatif, compare
void AddReportCommand(CLI::App& app);

// Help of --value, on every command that takes --input and --dim.
inline constexpr const char* kValueHelp =
    "Values of a small graph input, NAME=V1,V2,... (a size or threshold the graph computes "
    "shapes from); repeatable";

void SetExitCode(int code);
int ExitCode();

}  // namespace tops::cli
