// The whole command line in one place: the app, its footer and every subcommand. main.cc parses
// with it, and tools/docgen walks it to write the man pages and shell completions, so those
// cannot drift from what the binary accepts.
#include "commands.h"
#include "tops/version.h"

namespace tops::cli {
namespace {
int g_exit_code = 0;
}
void SetExitCode(int code) { g_exit_code = code; }
int ExitCode() { return g_exit_code; }

std::vector<const void*>& KeptUntilExit() {
  static auto* const kept = new std::vector<const void*>;
  return *kept;
}

void BuildApp(CLI::App& app) {
  app.name("tops");
  app.description(
      "tops - how much compute an AI model needs, and whether a chip can run it.\n"
      "Reads the .onnx file alone (no weights loaded, no forward pass) and counts\n"
      "parameters, MACs and FLOPs per layer, exactly, with the convention printed.\n");
  app.footer(
      "Examples:\n"
      "  tops profile model.onnx                    per-layer table and totals\n"
      "  tops profile model.onnx --top 10           the 10 heaviest layers\n"
      "  tops profile model.onnx --group-by op      totals per op type\n"
      "  tops profile model.onnx --dim batch=4 --format json\n"
      "  tops profile model.onnx --format netron -o model.netron.json   metrics for Netron\n"
      "  tops calc conv2d --cin 3 --cout 64 --kernel 7 --out 112\n"
      "  tops require model.onnx --fps 30           TOPS needed at int8/fp16/fp32\n"
      "  tops fit model.onnx --chip rk3588 --fps 30 is this chip enough? roofline latency\n"
      "  tops rank model.onnx --fps 30              every catalog chip, best first\n"
      "  tops whatif model.onnx --chip rk3588       quantise / prune / batch scenarios\n"
      "  tops report model.onnx -o report.html      HTML report with plots\n"
      "  tops llm config.json --chip rk3588 --quant w4a16 --prompt 512 --gen 128\n"
      "                                             LLM: TTFT, tokens/s vs context, memory\n"
      "  tops rank config.json --tokens-per-s 15 --context 4096\n"
      "\n"
      "Counting: 1 MAC = one multiply-accumulate; FLOPs = 2 x MACs + other ops.\n"
      "Exit codes: 0 ok, 1 does not fit (with --check), 2 bad input.");
  app.require_subcommand(1);
  app.set_version_flag("--version", VersionText(), "Print the version, chip catalog and revision");
  AddProfileCommand(app);
  AddCalcCommand(app);
  AddOpsCommand(app);
  AddFitCommands(app);
  AddWhatifCommands(app);
  AddReportCommand(app);
  AddLlmCommand(app);
  AddCalibrateCommand(app);
}

}  // namespace tops::cli
