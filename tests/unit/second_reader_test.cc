// A second model format added from outside the library, the way a new reader plugs in: a probe
// and a reader registered with RegisterModelFormat, nothing else. The format is a tiny text one
// that exists only here; a model written in it goes through ReadModel (chosen by content, not by
// the file name), the profile, fit and the report like an ONNX file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tops/chip.h"
#include "tops/error.h"
#include "tops/fit.h"
#include "tops/output.h"
#include "tops/profile.h"
#include "tops/read.h"
#include "tops/report_data.h"

namespace tops {
namespace {

constexpr std::string_view kMagic = "tops-text-model 1\n";

std::vector<int64_t> DimsOf(const std::string& text) {
  std::vector<int64_t> dims;
  std::stringstream ss(text);
  std::string d;
  while (std::getline(ss, d, 'x')) dims.push_back(std::stoll(d));
  return dims;
}

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, sep)) out.push_back(part);
  return out;
}

// Lines: "input NAME DIMS", "weight NAME DIMS", "node NAME OP IN,IN OUT [attr=v,v ...]",
// "output NAME". Every tensor is float32.
Model ReadTextModel(std::string_view bytes, const std::string& label) {
  Model m;
  m.producer_name = "text";
  m.opsets.push_back({"", 17});
  std::stringstream in{std::string(bytes.substr(kMagic.size()))};
  std::string line;
  int number = 1;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    std::stringstream ls(line);
    std::string kind, name;
    ls >> kind >> name;
    if (kind == "input" || kind == "weight") {
      std::string dims;
      ls >> dims;
      if (kind == "input") {
        ValueInfo v{name, true, DType::kFloat, Shape::Known(DimsOf(dims))};
        m.graph.inputs.push_back(v);
      } else {
        TensorData t;
        t.name = name;
        t.dtype = DType::kFloat;
        t.dims = DimsOf(dims);
        t.elems = 1;
        for (int64_t d : t.dims) t.elems *= d;
        m.graph.initializers.push_back(t);
      }
    } else if (kind == "node") {
      Node n;
      n.name = name;
      std::string ins, out, attr;
      ls >> n.op_type >> ins >> out;
      n.inputs = Split(ins, ',');
      n.outputs = {out};
      while (ls >> attr) {
        const auto eq = attr.find('=');
        Attribute a;
        a.name = attr.substr(0, eq);
        a.type = AttrType::kInts;
        for (const auto& v : Split(attr.substr(eq + 1), ',')) a.ints.push_back(std::stoll(v));
        n.attributes.push_back(a);
      }
      m.graph.nodes.push_back(n);
    } else if (kind == "output") {
      m.graph.outputs.push_back(ValueInfo{name, false, DType::kUndefined, Shape::Unknown()});
    } else {
      throw Error(label + ": line " + std::to_string(number) + ": unknown entry '" + kind + "'");
    }
  }
  return m;
}

class SecondReader : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    RegisterModelFormat({"text", "tops test text model",
                         [](std::string_view head) { return head.starts_with(kMagic); },
                         ReadTextModel});
  }
  void SetUp() override {
    // No extension that could tell the format: ReadModel must look at the content.
    path_ = (std::filesystem::temp_directory_path() /
             ("tops_text_model_" + std::to_string(::getpid()) + ".bin"))
                .string();
    std::ofstream(path_) << kMagic
                         << "input x 1x3x32x32\n"
                            "weight w 16x3x3x3\n"
                            "weight b 16\n"
                            "node conv Conv x,w,b y kernel_shape=3,3 pads=1,1,1,1\n"
                            "node act Relu y z\n"
                            "output z\n";
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::string path_;
};

TEST_F(SecondReader, ReadModelChoosesItByContent) {
  const Model m = ReadModel(path_);
  EXPECT_EQ("text", m.format);
  EXPECT_EQ(2u, m.graph.nodes.size());
  // The built-in formats are still probed after it.
  const std::vector<ModelFormat> formats = ModelFormats();
  ASSERT_GE(formats.size(), 2u);
  EXPECT_EQ("text", formats.front().name);
  EXPECT_EQ("onnx", formats.back().name);
}

TEST_F(SecondReader, ProfilesFitsAndReportsLikeAnyModel) {
  const Profile p = ProfileModel(ReadModel(path_));
  // Hand arithmetic: Conv MACs = out_elems * Cin * kh * kw = (16*32*32) * 3 * 3 * 3.
  EXPECT_EQ(16 * 32 * 32 * 27, p.totals.macs);
  EXPECT_EQ(16 * 3 * 3 * 3 + 16, p.totals.params);
  EXPECT_EQ("text", p.model.format);
  EXPECT_TRUE(p.unsupported.empty());

  const Catalog catalog = Catalog::Builtin();
  const Chip& chip = catalog.Get("rk3588");
  const FitResult fit = Fit({{path_, &p, 30}}, chip, catalog.FamilyOf(chip), FitOptions{});
  EXPECT_TRUE(fit.predicted.available);
  EXPECT_GT(fit.predicted.latency_ms, 0);

  ReportOptions ro;
  ro.chips = {"rk3588"};
  const Report report = BuildReport(p, catalog, ro);
  std::ostringstream html;
  Write(html, report, ReportFormat::kHtml);
  EXPECT_NE(html.str().find("conv"), std::string::npos);
}

TEST(ReadModelBytes, NamesTheFormatsItTriedWhenNoneMatches) {
  try {
    ReadModelBytes("%PDF-1.7 not a model", "x.pdf");
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("x.pdf: not a model tops can read (first byte 0x25"), std::string::npos)
        << what;
    for (const char* format : {"ONNX", "TensorFlow Lite", "Hugging Face config.json"}) {
      EXPECT_NE(what.find(format), std::string::npos) << what;
    }
  }
}

}  // namespace
}  // namespace tops
