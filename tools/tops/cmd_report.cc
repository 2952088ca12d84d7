// `tops report MODEL -o report.html`: the profile, the fit on a few chips, rooflines and what-ifs
// in one page to share (HTML with SVG charts, or Markdown for a pull request).
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>

#include "commands.h"
#include "tops/chip.h"
#include "tops/error.h"
#include "tops/output.h"
#include "tops/profile.h"
#include "tops/report_data.h"
#include "tops/workload.h"

namespace tops::cli {

void AddReportCommand(CLI::App& app) {
  struct Options {
    std::string model;
    std::vector<std::string> chips;
    std::vector<std::string> chip_files;
    double fps = kDefaultFps;
    std::string precision;  // empty: the graph's precision, else int8
    double utilization = kArticleUtilization;
    size_t top = 12;
    std::vector<std::string> inputs;
    std::vector<std::string> dims;
    std::vector<std::string> values;
    std::string format;
    std::string output;
    bool no_whatif = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "One page to share: model summary, the fit on chosen chips, where the time goes, a\n"
      "roofline per chip, a chip comparison, what-ifs and every layer. HTML (self-contained,\n"
      "SVG charts) or Markdown, chosen by the -o extension or --format.");
  cmd->add_option("model", opt->model, "ONNX model file (.onnx)")->required();
  cmd->add_option("--chip", opt->chips,
                  "Chip id or alias; repeatable (default: the 3 best of the catalog)");
  cmd->add_option("--chips", opt->chip_files, "Extra chip file (YAML); adds or overrides chips");
  cmd->add_option("--fps", opt->fps, "Target frame rate")->capture_default_str();
  cmd->add_option("--precision", opt->precision,
                  "int8 (default), fp16, fp32, bf16 or int4; a quantised model uses its graph's "
                  "precision");
  cmd->add_option("--utilization", opt->utilization, "Article's utilisation factor")
      ->capture_default_str();
  cmd->add_option("--top", opt->top, "Layers charted one by one; the rest form one bar")
      ->capture_default_str();
  cmd->add_option("--input", opt->inputs, "Shape of a graph input, NAME:DxDxD; repeatable");
  cmd->add_option("--dim", opt->dims, "Bind a symbolic dim, NAME=VALUE; repeatable");
  cmd->add_option("--value", opt->values, kValueHelp);
  cmd->add_option("--format", opt->format, "html or md (default: from -o, else html)");
  cmd->add_option("-o,--output", opt->output, "Output file (default: standard output)");
  cmd->add_flag("--no-whatif", opt->no_whatif, "Leave out the what-if rows");
  cmd->callback([opt] {
    if (!(opt->fps > 0) || !std::isfinite(opt->fps)) throw Error("--fps must be a positive number");
    ReportFormat format = ReportFormat::kHtml;
    if (!opt->format.empty()) {
      format = ParseReportFormat(opt->format);
    } else if (auto f = ReportFormatFromPath(opt->output)) {
      format = *f;
    }
    ReportOptions ro;
    if (!opt->precision.empty()) ro.precision = PrecisionNamed(opt->precision);
    for (const auto& s : opt->inputs) ro.profile.input_shapes.insert(ParseInputShapeOption(s));
    for (const auto& s : opt->dims) ro.profile.dims.insert(ParseDimOption(s));
    for (const auto& s : opt->values) ro.profile.input_values.insert(ParseValueOption(s));
    ro.label = opt->model;
    ro.chips = opt->chips;
    ro.fps = opt->fps;
    ro.utilization = opt->utilization;
    ro.top = opt->top;
    Catalog catalog = Catalog::Builtin();
    for (const auto& f : opt->chip_files) catalog.LoadFile(f);
    const Workload w = Workload::Load({{opt->model, std::nullopt}}, ro.profile, opt->fps);
    const WorkloadModel& m = *w.models()[0];
    if (!opt->no_whatif) ro.model = &m.model;
    const Report report = BuildReport(m.profile, catalog, ro);

    std::ofstream file;
    if (!opt->output.empty()) {
      file.open(opt->output, std::ios::binary);
      if (!file) throw Error("cannot write '" + opt->output + "'");
    }
    std::ostream& os = opt->output.empty() ? std::cout : file;
    Write(os, report, format);
    os.flush();
    if (!os) throw Error("writing '" + opt->output + "' failed");
  });
}

}  // namespace tops::cli
