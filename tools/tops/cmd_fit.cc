// `tops require`, `tops fit`, `tops rank`, `tops chips [show ID]`: the hardware side of tops.
#include <charconv>
#include <cmath>
#include <iostream>
#include <memory>

#include "commands.h"
#include "tops/chip.h"
#include "tops/error.h"
#include "tops/fit.h"
#include "tops/output.h"
#include "tops/profile.h"
#include "tops/quantized.h"
#include "tops/workload.h"

namespace tops::cli {
namespace {

struct WorkloadOptions {
  std::vector<std::string> models;  // "a.onnx" or "a.onnx@30"
  double fps = kDefaultFps;
  std::string precision;  // empty: the graph's own precision when quantised, else int8
  std::vector<std::string> inputs;
  std::vector<std::string> dims;
  std::vector<std::string> values;
  std::vector<std::string> chip_files;
  std::string format = "table";
};

// "model.onnx@30" -> ("model.onnx", 30). A suffix that is not a number is part of the path.
std::pair<std::string, std::optional<double>> SplitRate(const std::string& arg) {
  const size_t at = arg.rfind('@');
  if (at == std::string::npos || at + 1 >= arg.size()) return {arg, std::nullopt};
  const std::string tail = arg.substr(at + 1);
  double v = 0;
  auto [ptr, ec] = std::from_chars(tail.data(), tail.data() + tail.size(), v);
  if (ec != std::errc() || ptr != tail.data() + tail.size()) return {arg, std::nullopt};
  if (!(v > 0) || !std::isfinite(v)) {
    throw Error("'" + arg + "': the frame rate after '@' must be a positive number");
  }
  return {arg.substr(0, at), v};
}

Workload LoadWorkload(const WorkloadOptions& opt) {
  if (!(opt.fps > 0) || !std::isfinite(opt.fps)) throw Error("--fps must be a positive number");
  ProfileOptions po;
  for (const auto& s : opt.inputs) po.input_shapes.insert(ParseInputShapeOption(s));
  for (const auto& s : opt.dims) po.dims.insert(ParseDimOption(s));
  for (const auto& s : opt.values) po.input_values.insert(ParseValueOption(s));
  std::vector<WorkloadSpec> specs;
  for (const auto& arg : opt.models) {
    auto [path, rate] = SplitRate(arg);
    specs.push_back({path, rate});
  }
  return Workload::Load(specs, po, opt.fps);
}

std::optional<Precision> AskedPrecision(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return PrecisionNamed(text);
}

// Table and Markdown output get the note on top; JSON keeps stdout one object and CSV one
// table, so there the note goes to stderr.
void PrintNote(const std::string& note, Format format) {
  if (note.empty()) return;
  if (format == Format::kTable || format == Format::kMarkdown) {
    std::cout << "Note: " << note << "\n\n";
  } else {
    std::cerr << "tops: note: " << note << "\n";
  }
}

constexpr const char* kFormatHelp = "Output format: table, json, csv or md";

void AddWorkloadOptions(CLI::App* cmd, WorkloadOptions* opt) {
  cmd->add_option("models", opt->models,
                  "ONNX model(s); MODEL@FPS sets a model's own frame rate (loads add up)")
      ->required();
  cmd->add_option("--fps", opt->fps, "Target frame rate for models without @FPS")
      ->capture_default_str();
  cmd->add_option("--precision", opt->precision,
                  "int8 (default), fp16, fp32, bf16 or int4; a quantised model (Q/DQ or integer "
                  "ops) uses its graph's precision");
  cmd->add_option("--input", opt->inputs, "Shape of a graph input, NAME:DxDxD; repeatable");
  cmd->add_option("--dim", opt->dims, "Bind a symbolic dim, NAME=VALUE; repeatable");
  cmd->add_option("--value", opt->values, kValueHelp);
  cmd->add_option("--format", opt->format, kFormatHelp)->capture_default_str();
}

void AddChipFileOption(CLI::App* cmd, std::vector<std::string>* files) {
  cmd->add_option("--chips", *files,
                  "Extra chip file (YAML, schema in docs/hardware.md); adds or overrides chips");
}

}  // namespace

Catalog LoadCatalog(const std::vector<std::string>& files) {
  Catalog catalog = Catalog::Builtin();
  for (const auto& f : files) catalog.LoadFile(f);
  return catalog;
}

void AddFitCommands(CLI::App& app) {
  // require
  {
    auto opt = std::make_shared<WorkloadOptions>();
    CLI::App* cmd = app.add_subcommand(
        "require",
        "Compute a model needs at a frame rate: OPs = 2 x MACs, TOPS = OPs x fps / 1e12, per\n"
        "precision (the article's INT8-equivalent table and each precision's own peak), and\n"
        "the memory bandwidth it needs.");
    AddWorkloadOptions(cmd, opt.get());
    cmd->callback([opt] {
      const Format format = ParseFormat(opt->format);
      AskedPrecision(opt->precision);
      const Workload w = LoadWorkload(*opt);
      Write(std::cout, Require(w.Loads()), format);
    });
  }
  // fit
  {
    struct FitCli {
      WorkloadOptions w;
      std::string chip;
      std::string runtime;
      double utilization = kArticleUtilization;
      double power = 0;
      bool throughput = false;
      bool check = false;
      int top = 5;
    };
    auto opt = std::make_shared<FitCli>();
    CLI::App* cmd = app.add_subcommand(
        "fit",
        "Can this chip run the model(s)? The article's check_hardware (required_tops,\n"
        "effective_tops, is_sufficient, margin) beside a per-layer roofline prediction of\n"
        "latency, FPS, utilisation, bound and energy.");
    AddWorkloadOptions(cmd, &opt->w);
    AddChipFileOption(cmd, &opt->w.chip_files);
    cmd->add_option("--chip", opt->chip, "Chip id or alias (see `tops chips`)")->required();
    cmd->add_option("--runtime", opt->runtime,
                    "Runtime whose solved figures to use (hailort, qnn, tflite, rknn, tensorrt, "
                    "onnxruntime, ...; default: the vendor's own; `tops chip ID` lists them)");
    cmd->add_option("--utilization", opt->utilization, "Article's utilisation factor")
        ->capture_default_str();
    cmd->add_option("--power", opt->power,
                    "Power mode in W (default: the chip's highest); peaks are scaled where the "
                    "catalog has per-mode figures, else flagged optimistic");
    cmd->add_flag("--throughput", opt->throughput,
                  "Throughput mode: all units busy, overheads amortised (MLPerf offline)");
    cmd->add_flag("--check", opt->check, "Exit with code 1 when it does not fit");
    cmd->add_option("--top", opt->top, "Dominant layers to list")->capture_default_str();
    cmd->callback([opt] {
      const Format format = ParseFormat(opt->w.format);
      FitOptions fo;
      const std::optional<Precision> asked = AskedPrecision(opt->w.precision);
      fo.utilization = opt->utilization;
      if (opt->power != 0) fo.power_w = opt->power;
      fo.throughput = opt->throughput;
      fo.top_layers = opt->top;
      const Catalog catalog = LoadCatalog(opt->w.chip_files);
      const Chip& chip = catalog.Get(opt->chip);
      const Workload w = LoadWorkload(opt->w);
      fo.precision = w.Precision(asked);
      const FitResult r = Fit(w.Loads(), chip, catalog.FamilyFor(chip, opt->runtime), fo);
      Write(std::cout, r, format);
      if (opt->check && !r.fits) SetExitCode(1);
    });
  }
  // rank
  {
    struct RankCli {
      WorkloadOptions w;
      double utilization = kArticleUtilization;
      double max_watts = 0;
      bool throughput = false;
      LlmRankArgs llm;
    };
    auto opt = std::make_shared<RankCli>();
    CLI::App* cmd = app.add_subcommand(
        "rank", "Every chip of the catalog for this workload, sufficient or not, best first.");
    AddWorkloadOptions(cmd, &opt->w);
    AddChipFileOption(cmd, &opt->w.chip_files);
    cmd->add_option("--utilization", opt->utilization, "Article's utilisation factor")
        ->capture_default_str();
    cmd->add_option("--max-watts", opt->max_watts,
                    "Keep chips with a power mode within this budget (at that mode)");
    cmd->add_flag("--throughput", opt->throughput, "Throughput mode (see `tops fit --help`)");
    AddLlmRankOptions(cmd, &opt->llm);
    cmd->callback([opt] {
      const Format format = ParseFormat(opt->w.format);
      if (opt->llm.tokens_per_s != 0) {
        return RunLlmRank(opt->w.models, opt->w.chip_files, opt->llm, format);
      }
      RankOptions ro;
      const std::optional<Precision> asked = AskedPrecision(opt->w.precision);
      ro.fit.utilization = opt->utilization;
      ro.fit.throughput = opt->throughput;
      ro.fit.top_layers = 0;
      if (opt->max_watts != 0) {
        if (!(opt->max_watts > 0)) throw Error("--max-watts must be positive");
        ro.max_watts = opt->max_watts;
      }
      const Catalog catalog = LoadCatalog(opt->w.chip_files);
      const Workload w = LoadWorkload(opt->w);
      ro.fit.precision = w.Precision(asked);
      PrintNote(ro.fit.precision.note, format);
      Write(std::cout, Rank(w.Loads(), catalog, ro), format);
    });
  }
  // chips, chips show ID
  {
    struct ChipsCli {
      std::vector<std::string> files;
      std::string format = "table";
      std::string id;
    };
    auto opt = std::make_shared<ChipsCli>();
    CLI::App* cmd = app.add_subcommand("chips", "The chip catalog; `chips show ID` for one chip.");
    AddChipFileOption(cmd, &opt->files);
    cmd->add_option("--format", opt->format, kFormatHelp)->capture_default_str();
    CLI::App* show = cmd->add_subcommand("show", "One chip with every figure's source.");
    show->add_option("id", opt->id, "Chip id or alias")->required();
    show->add_option("--format", opt->format, kFormatHelp);
    show->add_option("--chips", opt->files, "Extra chip file (YAML)");
    cmd->callback([opt, show] {
      const Format format = ParseFormat(opt->format);
      const Catalog catalog = LoadCatalog(opt->files);
      if (show->parsed()) {
        const Chip& chip = catalog.Get(opt->id);
        Write(std::cout, ChipSheet{chip, catalog.FamilyOf(chip), catalog.RuntimesOf(chip)}, format);
      } else {
        Write(std::cout, catalog, format);
      }
    });
  }
}

}  // namespace tops::cli
