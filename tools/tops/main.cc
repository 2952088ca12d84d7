// tops: how much compute a model needs, and whether a chip can run it.
// The CLI is a thin layer: parse options, call libtops, map errors to exit codes
// (0 ok, 1 does not fit with --check, 2 bad input).
#include <exception>
#include <iostream>

#include "commands.h"
#include "tops/error.h"

namespace tops::cli {
namespace {
int g_exit_code = 0;
}
void SetExitCode(int code) { g_exit_code = code; }
int ExitCode() { return g_exit_code; }
}  // namespace tops::cli

int main(int argc, char** argv) {
  CLI::App app{
      "tops - how much compute an AI model needs, and whether a chip can run it.\n"
      "Reads the .onnx file alone (no weights loaded, no forward pass) and counts\n"
      "parameters, MACs and FLOPs per layer, exactly, with the convention printed.\n",
      "tops"};
  app.footer(
      "Examples:\n"
      "  tops profile model.onnx                    per-layer table and totals\n"
      "  tops profile model.onnx --top 10           the 10 heaviest layers\n"
      "  tops profile model.onnx --group-by op      totals per op type\n"
      "  tops profile model.onnx --dim batch=4 --format json\n"
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
  app.set_version_flag("--version", "tops 0.1.0");
  tops::cli::AddProfileCommand(app);
  tops::cli::AddCalcCommand(app);
  tops::cli::AddOpsCommand(app);
  tops::cli::AddFitCommands(app);
  tops::cli::AddWhatifCommands(app);
  tops::cli::AddReportCommand(app);
  tops::cli::AddLlmCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const tops::Error& e) {
    std::cerr << "tops: error: " << e.what() << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "tops: error: out of memory\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "tops: internal error: " << e.what() << "\n";
    return 3;
  }
  return tops::cli::ExitCode();
}
