// `tops profile MODEL.onnx`: the per-layer table and totals.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>

#include "commands.h"
#include "tops/chip.h"
#include "tops/error.h"
#include "tops/netron.h"
#include "tops/output.h"
#include "tops/profile.h"
#include "tops/read.h"
#include "tops/report_data.h"
#include "tops/workload.h"

namespace tops::cli {

void AddProfileCommand(CLI::App& app) {
  struct Options {
    std::string model;
    std::vector<std::string> inputs;
    std::vector<std::string> dims;
    std::vector<std::string> values;
    std::string sweep;
    std::string format = "table";
    size_t top = 0;
    std::string group_by;
    bool no_color = false;
    std::string output;
    std::string chip;
    std::vector<std::string> chip_files;
    std::string precision;  // empty: the graph's precision, else int8
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "profile",
      "Per-layer parameters, MACs and FLOPs of an ONNX model, with totals, weight and\n"
      "activation bytes and peak live activation memory. Ops without a cost formula are\n"
      "named, never counted as zero.");
  cmd->add_option("model", opt->model, "ONNX model file (.onnx)")->required();
  cmd->add_option("--input", opt->inputs,
                  "Shape of a graph input, NAME:DxDxD (e.g. input:1x3x224x224); repeatable");
  cmd->add_option("--dim", opt->dims,
                  "Bind a symbolic dim, NAME=VALUE (e.g. batch=4, seq=128); repeatable");
  cmd->add_option("--value", opt->values, kValueHelp);
  cmd->add_option("--sweep", opt->sweep,
                  "Profile once per value of a symbolic dim, NAME=V1,V2,... (e.g. "
                  "seq=128,256,512): one row of totals per binding");
  cmd->add_option("--format", opt->format,
                  "Output format: table, json, csv, md, or netron (per-node metrics that the\n"
                  "Netron viewer shows over the graph: docs/netron.md)")
      ->capture_default_str();
  cmd->add_option("-o,--output", opt->output, "Write to this file instead of standard output");
  cmd->add_option("--chip", opt->chip,
                  "With --format netron: each node's predicted time and share of the inference\n"
                  "on this chip (id or alias, as in `tops fit`)");
  cmd->add_option("--chips", opt->chip_files, "Extra chip file (YAML) for --chip; repeatable");
  cmd->add_option("--precision", opt->precision,
                  "With --chip: int8 (default), fp16, fp32, bf16 or int4; a quantised model uses "
                  "its graph's precision");
  cmd->add_option("--top", opt->top, "Show only the N heaviest nodes (by MACs, then FLOPs)");
  cmd->add_option("--group-by", opt->group_by, "Aggregate rows: 'op' sums per op type");
  cmd->add_flag("--no-color", opt->no_color, "No ANSI colours (also when NO_COLOR is set)");
  cmd->callback([opt] {
    ProfileOptions po;
    for (const auto& s : opt->inputs) po.input_shapes.insert(ParseInputShapeOption(s));
    for (const auto& s : opt->dims) po.dims.insert(ParseDimOption(s));
    for (const auto& s : opt->values) po.input_values.insert(ParseValueOption(s));
    const bool netron = opt->format == "netron";
    const Format format = netron ? Format::kJson : ParseFormat(opt->format);
    if (!opt->group_by.empty() && opt->group_by != "op") {
      throw tops::Error("--group-by accepts only 'op', got '" + opt->group_by + "'");
    }
    if (!netron && (!opt->chip.empty() || !opt->chip_files.empty())) {
      throw tops::Error("--chip and --chips apply to --format netron only (use `tops fit`)");
    }
    if (netron && (!opt->sweep.empty() || opt->top > 0 || !opt->group_by.empty())) {
      throw tops::Error("--format netron writes every node: no --sweep, --top or --group-by");
    }
    std::optional<Precision> precision;
    if (!opt->precision.empty()) precision = PrecisionNamed(opt->precision);
    const Model& model = KeepUntilExit(ReadModel(opt->model));
    // Everything is computed before the output file is opened, so that an error (an unknown
    // chip, a bad sweep) leaves no truncated file behind.
    const auto write = [&opt](const auto& writer) {
      if (opt->output.empty()) {
        writer(std::cout);
        return;
      }
      std::ofstream file(opt->output, std::ios::binary);
      if (!file) throw Error("cannot write '" + opt->output + "'");
      writer(file);
      file.flush();
      if (!file) throw Error("error writing '" + opt->output + "'");
    };
    if (!opt->sweep.empty()) {
      const auto [dim, values] = ParseSweepOption(opt->sweep);
      const Sweep sweep = ProfileSweep(model, po, dim, values);
      write([&](std::ostream& os) { Write(os, sweep, format); });
      return;
    }
    const Profile& profile = KeepUntilExit(ProfileModel(model, po));
    if (netron) {
      std::optional<Report> report;
      if (!opt->chip.empty()) {
        Catalog catalog = Catalog::Builtin();
        for (const auto& f : opt->chip_files) catalog.LoadFile(f);
        ReportOptions ro;
        ro.label = opt->model;
        ro.chips = {opt->chip};
        ro.precision = precision;
        ro.profile = po;
        report = BuildReport(profile, catalog, ro);
      }
      const Overlay overlay = BuildOverlay(profile, report ? &report->chips.at(0) : nullptr);
      write([&](std::ostream& os) { WriteNetronAttachment(os, overlay); });
      if (overlay.unnamed_nodes > 0 || overlay.shared_name_nodes > 0) {
        std::cerr << "tops: note: Netron addresses nodes by name: " << overlay.unnamed_nodes
                  << " unnamed node(s) left out, " << overlay.shared_name_nodes
                  << " node(s) share a name (only the first of each name is written)\n";
      }
      if (!opt->output.empty() && !opt->output.ends_with(".json")) {
        std::cerr << "tops: note: Netron opens an attachment only from a file ending in .json\n";
      }
      return;
    }
    ProfileView view;
    // Colour only on a terminal, never with --no-color or a non-empty NO_COLOR (no-color.org).
    const char* no_color_env = std::getenv("NO_COLOR");
    view.color = opt->output.empty() && !opt->no_color && !(no_color_env && no_color_env[0]) &&
                 isatty(STDOUT_FILENO);
    if (opt->top > 0) {
      view.rows = HeaviestNodes(profile, opt->top);
      view.limited = true;
    }
    if (opt->group_by == "op") {
      view.groups = GroupByOp(profile);
      view.grouped = true;
    }
    write([&](std::ostream& os) { Write(os, profile, view, format); });
  });
}

}  // namespace tops::cli
