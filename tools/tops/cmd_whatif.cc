// `tops whatif` and `tops compare`: the seed article's ways out when a chip is not enough
// (quantise, prune, swap the architecture), plus batching.
#include <cmath>
#include <iostream>
#include <memory>

#include "commands.h"
#include "tops/chip.h"
#include "tops/error.h"
#include "tops/output.h"
#include "tops/profile.h"
#include "tops/read.h"
#include "tops/whatif.h"
#include "tops/workload.h"

namespace tops::cli {
namespace {

struct CommonCli {
  std::string chip;
  double fps = kDefaultFps;
  std::string precision;  // empty: the graph's precision, else int8
  double utilization = kArticleUtilization;
  std::vector<std::string> inputs;
  std::vector<std::string> dims;
  std::vector<std::string> values;
  std::vector<std::string> chip_files;
  std::string format = "table";

  ProfileOptions Profile() const {
    ProfileOptions po;
    for (const auto& s : inputs) po.input_shapes.insert(ParseInputShapeOption(s));
    for (const auto& s : dims) po.dims.insert(ParseDimOption(s));
    for (const auto& s : values) po.input_values.insert(ParseValueOption(s));
    return po;
  }
  std::optional<Precision> ParsedPrecision() const {
    if (precision.empty()) return std::nullopt;
    return PrecisionNamed(precision);
  }
  void Check() const {
    if (!(fps > 0) || !std::isfinite(fps)) throw Error("--fps must be a positive number");
  }
  Catalog LoadCatalog() const {
    Catalog catalog = Catalog::Builtin();
    for (const auto& f : chip_files) catalog.LoadFile(f);
    return catalog;
  }
};

void AddCommon(CLI::App* cmd, CommonCli* opt) {
  cmd->add_option("--chip", opt->chip, "Chip id or alias (see `tops chips`)")->required();
  cmd->add_option("--fps", opt->fps, "Target frame rate")->capture_default_str();
  cmd->add_option("--precision", opt->precision,
                  "int8 (default), fp16, fp32, bf16 or int4; a quantised model uses its graph's "
                  "precision");
  cmd->add_option("--utilization", opt->utilization, "Article's utilisation factor")
      ->capture_default_str();
  cmd->add_option("--input", opt->inputs, "Shape of a graph input, NAME:DxDxD; repeatable");
  cmd->add_option("--dim", opt->dims, "Bind a symbolic dim, NAME=VALUE; repeatable");
  cmd->add_option("--value", opt->values, kValueHelp);
  cmd->add_option("--chips", opt->chip_files,
                  "Extra chip file (YAML, schema in docs/hardware.md); adds or overrides chips");
  cmd->add_option("--format", opt->format, "Output format: table, json, csv or md")
      ->capture_default_str();
}

}  // namespace

void AddWhatifCommands(CLI::App& app) {
  // whatif
  {
    struct WhatifCli {
      CommonCli common;
      std::string model;
      std::vector<std::string> scenarios;
    };
    auto opt = std::make_shared<WhatifCli>();
    CLI::App* cmd = app.add_subcommand(
        "whatif",
        "What if the model were quantised (fp32/fp16/int8/int4), pruned (unstructured or by\n"
        "channels, 30/50/70%) or batched (1/2/4/8)? Each scenario: required TOPS, predicted\n"
        "latency and FPS, weight bytes, DRAM bandwidth, and whether the chip keeps up.\n"
        "Scenarios are explained in docs/whatif.md.");
    cmd->add_option("model", opt->model, "ONNX model")->required();
    cmd->add_option("--scenario", opt->scenarios,
                    "Only this scenario (baseline, fp16, int8, unstructured-50, structured-30, "
                    "batch-4, ...); repeatable");
    AddCommon(cmd, &opt->common);
    cmd->callback([opt] {
      const CommonCli& c = opt->common;
      const Format format = ParseFormat(c.format);
      c.Check();
      WhatifOptions wo;
      wo.fps = c.fps;
      wo.precision = c.ParsedPrecision();
      wo.utilization = c.utilization;
      wo.profile = c.Profile();
      wo.scenarios = opt->scenarios;
      for (const auto& s : wo.scenarios) FindScenario(s);
      const Catalog catalog = c.LoadCatalog();
      const Chip& chip = catalog.Get(c.chip);
      const Model model = ReadModel(opt->model);
      Write(std::cout, WhatIf(model, chip, catalog.FamilyOf(chip), wo), format);
    });
  }
  // compare
  {
    struct CompareCli {
      CommonCli common;
      std::vector<std::string> models;
    };
    auto opt = std::make_shared<CompareCli>();
    CLI::App* cmd = app.add_subcommand(
        "compare",
        "Swap the architecture: several models side by side on one chip (profile and fit),\n"
        "with the best value in each column marked.");
    cmd->add_option("models", opt->models, "ONNX models")->required();
    AddCommon(cmd, &opt->common);
    cmd->callback([opt] {
      const CommonCli& c = opt->common;
      const Format format = ParseFormat(c.format);
      c.Check();
      CompareOptions co;
      co.fps = c.fps;
      co.precision = c.ParsedPrecision();
      co.utilization = c.utilization;
      const Catalog catalog = c.LoadCatalog();
      const Chip& chip = catalog.Get(c.chip);
      std::vector<WorkloadSpec> specs;
      for (const auto& path : opt->models) specs.push_back({path, std::nullopt});
      const Workload w = Workload::Load(specs, c.Profile(), c.fps);
      std::vector<CompareInput> inputs;
      for (const auto& m : w.models()) inputs.push_back(CompareInput{m->label, &m->profile});
      Write(std::cout, Compare(inputs, chip, catalog.FamilyOf(chip), co), format);
    });
  }
}

}  // namespace tops::cli
