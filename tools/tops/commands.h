// Each subcommand lives in its own cmd_*.cc and registers itself on the app here. Callbacks
// throw tops::Error for bad input (exit 2) and call SetExitCode(1) for "does not fit".
#pragma once

#include <CLI/CLI.hpp>

namespace tops::cli {

// The tops app with every subcommand (app.cc); main.cc and tools/docgen use it.
void BuildApp(CLI::App& app);

void AddProfileCommand(CLI::App& app);
void AddCalcCommand(CLI::App& app);
void AddOpsCommand(CLI::App& app);      // ops (docs/ops.md)
void AddFitCommands(CLI::App& app);     // require, fit, rank, chips
void AddWhatifCommands(CLI::App& app);  // whatif, compare
void AddReportCommand(CLI::App& app);

void SetExitCode(int code);
int ExitCode();

}  // namespace tops::cli
