// The Report the library builds for `tops report`, and the escaping and scales its writers use.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "report/number.h"
#include "report/svg.h"
#include "report/text.h"
#include "tops/error.h"
#include "tops/output.h"
#include "tops/read.h"
#include "tops/report_data.h"

namespace tops {
namespace {

const std::string kModels = std::string(TOPS_TEST_DIR) + "/models/";

Report ResNet18On(const std::vector<std::string>& chips, Profile* profile_out = nullptr) {
  Profile p = ProfileModel(ReadModel(kModels + "resnet18.onnx"));
  if (profile_out) *profile_out = p;
  ReportOptions o;
  o.label = "resnet18.onnx";
  o.chips = chips;
  o.top = 5;
  return BuildReport(p, Catalog::Builtin(), o);
}

TEST(Report, EveryTimedLayerFindsItsNode) {
  const Report r = ResNet18On({"rk3588", "jetson_orin_nano_8gb"});
  ASSERT_EQ(2u, r.chips.size());
  for (const ChipReport& c : r.chips) {
    ASSERT_TRUE(c.fit.predicted.available) << c.fit.chip_id;
    // The per-node times are the fit's layers put back in graph order: they add up to the
    // predicted latency, and each layer is one roofline point.
    double sum = 0;
    size_t timed = 0;
    for (const auto& t : c.node_time_ms) {
      if (t) sum += *t, ++timed;
    }
    EXPECT_NEAR(c.fit.predicted.latency_ms, sum + c.fit.predicted.models[0].fixed_ms,
                1e-9 * c.fit.predicted.latency_ms);
    EXPECT_EQ(c.fit.predicted.models[0].top_layers.size(), timed);
    // A layer without arithmetic (a copy such as Flatten) has no place on an ops/s axis.
    size_t with_ops = 0;
    for (const LayerEstimate& e : c.fit.predicted.models[0].top_layers) with_ops += e.ops > 0;
    EXPECT_EQ(with_ops, c.points.size());
    ASSERT_TRUE(c.ridge_intensity);
    EXPECT_NEAR(c.roof_tops * 1e12 / (*c.bandwidth_gbs * 1e9), *c.ridge_intensity, 1e-9);
    for (const RooflinePoint& p : c.points) {
      // No layer attains more than the peak it runs at.
      EXPECT_LE(p.attained_tops, c.roof_tops * (1 + 1e-9)) << r.profile.nodes[p.node].name;
    }
  }
}

TEST(Report, BarsAreTheTopLayersThenTheRest) {
  const Report r = ResNet18On({"rk3588"});
  ASSERT_EQ(6u, r.bars.size());
  int64_t macs = 0;
  double time = 0;
  for (const LayerBar& b : r.bars) {
    macs += b.macs;
    ASSERT_TRUE(b.time_ms);
    time += *b.time_ms;
  }
  EXPECT_EQ(r.profile.totals.macs, macs);
  EXPECT_NEAR(r.chips[0].fit.predicted.latency_ms,
              time + r.chips[0].fit.predicted.models[0].fixed_ms, 1e-9 * time);
  EXPECT_FALSE(r.bars.back().node);
  EXPECT_EQ(static_cast<int64_t>(r.profile.nodes.size()) - 5, r.bars.back().count);
}

TEST(Report, WithoutChipsRanksTheCatalog) {
  const Report r = ResNet18On({});
  EXPECT_EQ(ChipChoice::kRanked, r.chip_choice);
  ASSERT_EQ(3u, r.chips.size());
  for (const ChipReport& c : r.chips) EXPECT_TRUE(c.fit.predicted.missing.empty());
}

TEST(Report, UnknownChipIsAnError) { EXPECT_THROW(ResNet18On({"no_such_chip"}), Error); }

TEST(Report, NodeNamesFromTheFileAreEscaped) {
  Profile p = ProfileModel(ReadModel(kModels + "resnet18.onnx"));
  p.nodes[0].name = "<script>alert(1)</script>|*`[x](y)";
  ReportOptions o;
  o.chips = {"rk3588"};
  o.label = "a<b>.onnx";
  const Report r = BuildReport(p, Catalog::Builtin(), o);
  std::ostringstream html, md;
  Write(html, r, ReportFormat::kHtml);
  Write(md, r, ReportFormat::kMarkdown);
  EXPECT_EQ(std::string::npos, html.str().find("<script>alert"));
  EXPECT_EQ(std::string::npos, html.str().find("<b>.onnx"));
  EXPECT_NE(std::string::npos, html.str().find("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_EQ(std::string::npos, md.str().find("<script>"));
  EXPECT_NE(std::string::npos,
            md.str().find("&lt;script&gt;alert(1)&lt;/script&gt;\\|\\*\\`\\[x]"));
}

// Nodes a family's list sends to the CPU are drawn in their own colour, with a legend entry that
// only a page with such nodes carries. MobileNetV3's HardSwish is not in Coral's table of Edge
// TPU ops, and the Edge TPU compiler cuts the graph there: the rest runs on the CPU.
TEST(Report, CpuNodesHaveTheirOwnColourAndLegend) {
  ReportOptions o;
  o.chips = {"coral_edge_tpu"};
  o.label = "mobilenet_v3_large.onnx";
  const Report r = BuildReport(ProfileModel(ReadModel(kModels + "mobilenet_v3_large.onnx")),
                               Catalog::Builtin(), o);
  std::ostringstream html;
  Write(html, r, ReportFormat::kHtml);
  EXPECT_NE(std::string::npos, html.str().find("mark layer b-cpu"));
  EXPECT_NE(std::string::npos, html.str().find("on the host CPU"));
  EXPECT_NE(std::string::npos, html.str().find("svg .b-cpu{"));
  std::ostringstream plain;
  Write(plain, ResNet18On({"rk3588"}), ReportFormat::kHtml);
  EXPECT_EQ(std::string::npos, plain.str().find("mark layer b-cpu"));
  EXPECT_EQ(std::string::npos, plain.str().find("on the host CPU"));
}

// The likely range `fit` prints reaches the report: a column in the chip and what-if tables of
// both writers, and a whisker on each predicted-FPS bar whose tooltip gives the same numbers.
TEST(Report, LikelyRangeInTheTablesAndAWhiskerOnTheFpsBars) {
  const Model m = ReadModel(kModels + "resnet18.onnx");
  ReportOptions o;
  o.chips = {"rk3588"};
  o.label = "resnet18.onnx";
  o.model = &m;
  const Report r = BuildReport(ProfileModel(m), Catalog::Builtin(), o);
  const Prediction& p = r.chips.at(0).fit.predicted;
  ASSERT_TRUE(p.band.known());
  ASSERT_TRUE(r.whatif);
  const std::string range = report::Number(p.fps_low, report::Style::Adaptive()) + "-" +
                            report::Number(p.fps_high, report::Style::Adaptive());
  std::ostringstream md, html;
  Write(md, r, ReportFormat::kMarkdown);
  Write(html, r, ReportFormat::kHtml);
  EXPECT_NE(std::string::npos, md.str().find("| likely FPS |"));
  // The chip row and the what-if baseline row carry the same range.
  const size_t first = md.str().find("| " + range + " |");
  ASSERT_NE(std::string::npos, first) << range << "\n" << md.str();
  EXPECT_NE(first, md.str().rfind("| " + range + " |"));
  EXPECT_NE(std::string::npos, html.str().find("Likely FPS</th>"));
  EXPECT_NE(std::string::npos, html.str().find("<rect class=\"range\""));
  const report::Style rounded = report::Style::Rounded();
  EXPECT_NE(std::string::npos, html.str().find("likely " + report::Number(p.fps_low, rounded) +
                                               "-" + report::Number(p.fps_high, rounded) + " FPS"));
}

TEST(Report, FormatFromExtensionOrName) {
  EXPECT_EQ(ReportFormat::kHtml, ReportFormatFromPath("out/Report.HTML"));
  EXPECT_EQ(ReportFormat::kMarkdown, ReportFormatFromPath("report.md"));
  EXPECT_FALSE(ReportFormatFromPath("report.txt"));
  EXPECT_EQ(ReportFormat::kMarkdown, ParseReportFormat("markdown"));
  EXPECT_THROW(ParseReportFormat("pdf"), Error);
}

TEST(Svg, EscapeAndNumbers) {
  EXPECT_EQ("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", report::Html("<a href=\"x\">&'"));
  EXPECT_EQ("\xEF\xBF\xBD", report::Html("\x01"));
  EXPECT_EQ("12.3", svg::Num(12.345));
  EXPECT_EQ("12", svg::Num(12.01));
  EXPECT_EQ("0", svg::Num(-0.01));
  EXPECT_EQ("0", svg::Num(NAN));
  EXPECT_EQ("10 K", svg::TickLabel(1e4));
  EXPECT_EQ("0.01", svg::TickLabel(0.01));
  EXPECT_EQ("...conv2", report::Shorten("layer4.conv2", 8, report::Clip::kTail));
  EXPECT_EQ("Jetso...", report::Shorten("Jetson Orin", 8, report::Clip::kHead));
}

TEST(Svg, LogScaleCoversWholeDecades) {
  const svg::LogScale s(3, 420, 0, 300);
  EXPECT_EQ(1, s.lo());
  EXPECT_EQ(1000, s.hi());
  EXPECT_EQ((std::vector<double>{1, 10, 100, 1000}), s.Decades());
  EXPECT_DOUBLE_EQ(100, s(10));
  EXPECT_DOUBLE_EQ(300, s(1e6));  // clamped
  const svg::LinearScale l(0, 37, 0, 100);
  EXPECT_EQ((std::vector<double>{0, 10, 20, 30}), l.Ticks(4));
}

}  // namespace
}  // namespace tops
