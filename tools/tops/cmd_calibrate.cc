// `tops calibrate`: solve family figures from measurements (the published rows, or a user's own
// for one chip) and print the rows' predictions, or write the catalog file.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "commands.h"
#include "tops/calibrate.h"
#include "tops/error.h"
#include "tops/measurement.h"

namespace tops::cli {

void AddCalibrateCommand(CLI::App& app) {
  struct CalibrateCli {
    std::vector<std::string> paths;
    std::string chip;
    std::string output;
    std::string models = "tests/models";
    std::string format = "table";
    std::string precision;
    std::vector<std::string> chip_files;
    bool no_cross = false;
  };
  auto opt = std::make_shared<CalibrateCli>();
  CLI::App* cmd = app.add_subcommand(
      "calibrate",
      "Solve a chip family's figures (efficiency per op class, overheads, context switches)\n"
      "from measured latencies, and show how well they predict rows left out.\n"
      "  tops calibrate data/measurements -o data/chips/calibration.yaml   the published rows\n"
      "  tops calibrate my_runs.csv --chip rk3588 -o my-chip.yaml           your own device\n"
      "  tops fit model.onnx --chip rk3588 --chips my-chip.yaml             use the result\n"
      "A measurement file is a directory or .yaml of published rows (data/measurements), a CSV\n"
      "(model, latency_ms or fps, precision, ...), or the printed output of trtexec or\n"
      "benchmark_model (docs/hardware.md, \"Your own measurements\").");
  cmd->add_option("measurements", opt->paths, "Measurement files or directories")->required();
  cmd->add_option("--chip", opt->chip,
                  "Solve figures for this chip alone (a user's device); rows without a chip "
                  "are taken to be on it");
  cmd->add_option("-o,--output", opt->output,
                  "Write the solved figures as a chip file (loads with --chips)");
  cmd->add_option("--models", opt->models,
                  "Directory the published rows' fixture names resolve in (<name>.onnx)")
      ->capture_default_str();
  cmd->add_option("--precision", opt->precision,
                  "Precision of rows and logs that do not say (int8, fp16, ...)");
  cmd->add_option("--format", opt->format, "Output format: table, json, csv or md")
      ->capture_default_str();
  cmd->add_option("--chips", opt->chip_files, "Extra chip file (YAML)");
  cmd->add_flag("--no-cross-validation", opt->no_cross,
                "Skip the leave-one-model-out and leave-one-chip-out tables (faster)");
  cmd->callback([opt] {
    const Format format = ParseFormat(opt->format);
    const Catalog catalog = LoadCatalog(opt->chip_files);
    if (!opt->chip.empty()) catalog.Get(opt->chip);  // names an unknown chip before any work
    std::vector<Measurement> rows;
    for (const std::string& path : opt->paths) {
      namespace fs = std::filesystem;
      std::error_code ec;
      const bool published = fs::is_directory(path, ec) || fs::path(path).extension() == ".yaml";
      std::vector<Measurement> more;
      if (published) {
        more = LoadMeasurements(path);
      } else {
        UserMeasurementOptions uo;
        uo.chip = opt->chip;
        if (!opt->precision.empty()) {
          uo.precision = ParsePrecision(opt->precision);
          if (!uo.precision) throw Error("--precision: unknown precision '" + opt->precision + "'");
        }
        more = ReadUserMeasurements(path, uo);
      }
      rows.insert(rows.end(), more.begin(), more.end());
    }
    CalibrationOptions co;
    co.models_dir = opt->models;
    co.chip = opt->chip;
    co.cross_validate = !opt->no_cross;
    const CalibrationResult r = Calibrate(rows, catalog, co);
    if (!opt->output.empty()) {
      std::ofstream out(opt->output, std::ios::binary);
      if (!out) throw Error(opt->output + ": cannot write");
      out << CalibrationYaml(r);
      if (!out) throw Error(opt->output + ": write failed");
    }
    Write(std::cout, r, format);
  });
}

}  // namespace tops::cli
