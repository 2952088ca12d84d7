// `tops profile MODEL.onnx`: the per-layer table and totals.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "commands.h"
#include "tops/error.h"
#include "tops/output.h"
#include "tops/profile.h"
#include "tops/read.h"

namespace tops::cli {

void AddProfileCommand(CLI::App& app) {
  struct Options {
    std::string model;
    std::vector<std::string> inputs;
    std::vector<std::string> dims;
    std::string sweep;
    std::string format = "table";
    size_t top = 0;
    std::string group_by;
    bool no_color = false;
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
  cmd->add_option("--sweep", opt->sweep,
                  "Profile once per value of a symbolic dim, NAME=V1,V2,... (e.g. "
                  "seq=128,256,512): one row of totals per binding");
  cmd->add_option("--format", opt->format, "Output format: table, json, csv or md")
      ->capture_default_str();
  cmd->add_option("--top", opt->top, "Show only the N heaviest nodes (by MACs, then FLOPs)");
  cmd->add_option("--group-by", opt->group_by, "Aggregate rows: 'op' sums per op type");
  cmd->add_flag("--no-color", opt->no_color, "No ANSI colours (also when NO_COLOR is set)");
  cmd->callback([opt] {
    ProfileOptions po;
    for (const auto& s : opt->inputs) po.input_shapes.insert(ParseInputShapeOption(s));
    for (const auto& s : opt->dims) po.dims.insert(ParseDimOption(s));
    const Format format = ParseFormat(opt->format);
    if (!opt->group_by.empty() && opt->group_by != "op") {
      throw tops::Error("--group-by accepts only 'op', got '" + opt->group_by + "'");
    }
    const Model model = ReadModel(opt->model);
    if (!opt->sweep.empty()) {
      const auto [dim, values] = ParseSweepOption(opt->sweep);
      Write(std::cout, ProfileSweep(model, po, dim, values), format);
      return;
    }
    const Profile profile = ProfileModel(model, po);
    ProfileView view;
    // Colour only on a terminal, never with --no-color or a non-empty NO_COLOR (no-color.org).
    const char* no_color_env = std::getenv("NO_COLOR");
    view.color = !opt->no_color && !(no_color_env && no_color_env[0]) && isatty(STDOUT_FILENO);
    if (opt->top > 0) {
      view.rows = HeaviestNodes(profile, opt->top);
      view.limited = true;
    }
    if (opt->group_by == "op") {
      view.groups = GroupByOp(profile);
      view.grouped = true;
    }
    Write(std::cout, profile, view, format);
  });
}

}  // namespace tops::cli
