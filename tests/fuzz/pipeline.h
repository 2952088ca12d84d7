// The whole of tops on one input, as the fuzzer and the regression replay both run it:
// bytes -> ReadOnnxBytes -> ProfileModel -> every profile writer in every view, then the
// requirement, the fit on one catalog chip, the what-if rows and the HTML/Markdown report
// built from that profile, through their writers. A tops::Error at any
// stage is the expected outcome for a bad input; any other exception, crash, sanitizer report,
// hang or large allocation is a bug. Shared so that a committed regression input is replayed
// through exactly the code that found it.
#pragma once

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "tops/chip.h"
#include "tops/error.h"
#include "tops/output.h"
#include "tops/profile.h"
#include "tops/read.h"
#include "tops/report_data.h"

namespace tops::fuzz {

// Every profile writer in every format and view; returns the total bytes written so the work
// cannot be optimised away.
inline size_t WriteEverything(const Profile& p) {
  size_t written = 0;
  for (Format f : {Format::kTable, Format::kJson, Format::kCsv, Format::kMarkdown}) {
    ProfileView all;
    ProfileView top;
    top.rows = HeaviestNodes(p, 3);
    top.limited = true;
    ProfileView grouped;
    grouped.groups = GroupByOp(p);
    grouped.grouped = true;
    grouped.color = true;
    for (const ProfileView* v : {&all, &top, &grouped}) {
      std::ostringstream os;
      Write(os, p, *v, f);
      written += os.str().size();
    }
  }
  return written;
}

// The hardware side on the same profile: requirement, fit and what-if on one chip (RK3588: a
// single-inference share, a calibrated family, unknown figures), the report, every writer.
inline size_t WriteAnalyses(const Model& model, const Profile& p) {
  static const Catalog catalog = Catalog::Builtin();
  ReportOptions options;
  options.label = "<fuzz>";
  options.chips = {"rk3588"};
  options.model = &model;
  const Report report = BuildReport(p, catalog, options);
  size_t written = 0;
  for (Format f : {Format::kTable, Format::kJson, Format::kCsv, Format::kMarkdown}) {
    std::ostringstream os;
    Write(os, report.requirement, f);
    for (const ChipReport& c : report.chips) Write(os, c.fit, f);
    written += os.str().size();
  }
  std::ostringstream html, md;
  Write(html, report, ReportFormat::kHtml);
  Write(md, report, ReportFormat::kMarkdown);
  return written + html.str().size() + md.str().size();
}

// Symbolic dims named anywhere in the graph's interface, to bind them in a second pass.
inline std::set<std::string> InterfaceSymbols(const Model& m) {
  std::set<std::string> out;
  for (const auto* list : {&m.graph.inputs, &m.graph.outputs, &m.graph.value_info}) {
    for (const ValueInfo& vi : *list) {
      for (const Dim& d : vi.shape.dims) {
        if (d.symbolic()) out.insert(d.symbol);
      }
    }
  }
  return out;
}

// Runs the pipeline; returns "" on success or the tops::Error message. `read` is the entry
// point the bytes go to: ReadModel's dispatch by default, one reader for a format's own target.
using ReadFn = Model (*)(std::string_view bytes, const std::string& label);
inline std::string RunPipeline(std::string_view bytes, ReadFn read = ReadModelBytes) {
  try {
    const Model model = read(bytes, "<fuzz>");
    const Profile profile = ProfileModel(model);
    WriteEverything(profile);
    WriteAnalyses(model, profile);
    // Second pass with every symbolic dim bound, which reaches the cost formulas of dynamic
    // models; a size derived from the bytes keeps the binding varied but small.
    const std::set<std::string> symbols = InterfaceSymbols(model);
    if (!symbols.empty()) {
      ProfileOptions opt;
      for (const auto& s : symbols) opt.dims[s] = 1 + static_cast<int64_t>(bytes.size() % 7);
      WriteEverything(ProfileModel(model, opt));
    }
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace tops::fuzz
