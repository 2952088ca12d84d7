// Every fixture model against the independent references in tests/models/ref: per-node output
// shapes and MACs as executed by ONNX Runtime (*.ort.json), totals from tests/models/README.md.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "tops/profile.h"
#include "tops/read.h"

namespace tops {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kModels = std::string(TOPS_TEST_DIR) + "/models/";

struct Expected {
  const char* ref;  // ref file stem
  const char* model;
  std::map<std::string, int64_t> dims;
  int64_t params;  // "params in file" column of tests/models/README.md
  int64_t macs;    // "MACs (executed shapes)" column / run notes
};
void PrintTo(const Expected& e, std::ostream* os) { *os << e.ref; }

// Copied from the reference table (tests/models/README.md), not from our own output.
const Expected kExpected[] = {
    {"resnet18", "resnet18", {}, 11684712, 1814073344},
    {"resnet50", "resnet50", {}, 25530472, 4089184256},
    {"mobilenet_v2", "mobilenet_v2", {}, 3487816, 300774272},
    {"mobilenet_v3_small", "mobilenet_v3_small", {}, 2536800, 56510400},
    {"mobilenet_v3_large", "mobilenet_v3_large", {}, 5470832, 216589760},
    {"efficientnet_b0", "efficientnet_b0", {}, 5267540, 385814752},
    {"squeezenet1_0", "squeezenet1_0", {}, 1248424, 818924576},
    {"shufflenet_v2_x1_0", "shufflenet_v2_x1_0", {}, 2270514, 144907992},
    {"alexnet", "alexnet", {}, 61100840, 714188480},
    {"vgg16", "vgg16", {}, 138357544, 15470264320},
    {"resnet18_bn_unfused", "resnet18_bn_unfused", {}, 11699112, 1814073344},
    {"resnet18_dynbatch@b1", "resnet18_dynbatch", {{"batch", 1}}, 11684712, 1814073344},
    {"resnet18_dynbatch@b4", "resnet18_dynbatch", {{"batch", 4}}, 11684712, 7256293376},
    {"mobilenet_v2_dynbatch@b1", "mobilenet_v2_dynbatch", {{"batch", 1}}, 3487816, 300774272},
    {"mobilenet_v2_dynbatch@b4", "mobilenet_v2_dynbatch", {{"batch", 4}}, 3487816, 1203097088},
    {"tiny_gpt@seq32", "tiny_gpt", {{"seq", 32}}, 3720704, 110952448},
    {"tiny_gpt@seq128", "tiny_gpt", {{"seq", 128}}, 3720704, 468975616},
    {"yolov5n", "yolov5n", {}, 1863157, 2234060800},
    {"yolov5m", "yolov5m", {}, 21155285, 24436224000},
    {"yolov5s_relu", "yolov5s_relu", {}, 7217381, 8216780800},
    {"yolov8s", "yolov8s", {}, 11147512, 14300774400},
    {"yolov8m", "yolov8m", {}, 25871160, 39467827200},
    {"yolov8n", "yolov8n", {}, 3147176, 4371456000},
    {"resnet50_v2", "resnet50_v2", {}, 25511848, 4089184256},
    {"resnet101", "resnet101", {}, 44447848, 7801405440},
    {"resnext50_32x4d", "resnext50_32x4d", {}, 24964712, 4230479872},
    {"wide_resnet50_2", "wide_resnet50_2", {}, 68819048, 11398021120},
    {"squeezenet1_1", "squeezenet1_1", {}, 1233288, 349151936},
    {"shufflenet_v2_x0_5", "shufflenet_v2_x0_5", {}, 1360032, 40476448},
    {"mnasnet0_5", "mnasnet0_5", {}, 2200880, 104455968},
    {"mobilenet_v2_1.4", "mobilenet_v2_1.4", {}, 6066944, 582195824},
    {"googlenet", "googlenet", {}, 6613040, 1498376192},
    {"inception_v3", "inception_v3", {}, 23802088, 5713216096},
    {"densenet121", "densenet121", {}, 7928936, 2834161664},
    {"regnet_x_800mf", "regnet_x_800mf", {}, 7223528, 799699712},
    {"regnet_x_3_2gf", "regnet_x_3_2gf", {}, 15235752, 3176621952},
    {"efficientnet_b4", "efficientnet_b4", {}, 19197120, 4393771024},
    {"convnext_tiny", "convnext_tiny", {}, 28533928, 4455531264},
    {"vgg19", "vgg19", {}, 143658600, 19632062464},
    {"vit_b_16", "vit_b_16", {}, 86495464, 17563828224},
    {"vit_b_32", "vit_b_32", {}, 88152040, 4409186304},
    {"vit_s_16", "vit_s_16", {}, 22014568, 4598882304},
    {"vit_ti_16", "vit_ti_16", {}, 5699368, 1253683200},
    {"yolov5s", "yolov5s", {}, 7217381, 8216780800},
};

class ReferenceModel : public ::testing::TestWithParam<Expected> {};

std::string Name(const ::testing::TestParamInfo<Expected>& info) {
  std::string s = info.param.ref;
  for (char& c : s) {
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return s;
}

TEST_P(ReferenceModel, EveryNodeShapeAndMacsMatchOnnxRuntime) {
  const Expected& e = GetParam();
  std::ifstream f(kModels + "ref/" + e.ref + ".ort.json");
  ASSERT_TRUE(f) << "missing reference " << e.ref;
  const json ref = json::parse(f);

  ProfileOptions opt;
  opt.dims = e.dims;
  const Profile p = ProfileModel(ReadModel(kModels + e.model + ".onnx"), opt);

  std::map<std::string, const NodeProfile*> by_name;
  for (const NodeProfile& n : p.nodes) by_name[n.name] = &n;
  ASSERT_EQ(ref["n_nodes"].get<size_t>(), p.nodes.size());
  int checked = 0;
  for (const json& rn : ref["nodes"]) {
    const std::string name = rn["name"];
    auto it = by_name.find(name);
    ASSERT_NE(it, by_name.end()) << "node " << name << " missing";
    const NodeProfile& n = *it->second;
    ASSERT_EQ(rn["outputs"].size(), n.outputs.size()) << name;
    for (size_t i = 0; i < n.outputs.size(); ++i) {
      std::vector<int64_t> want = rn["shapes"][i].get<std::vector<int64_t>>();
      const Shape& got = n.outputs[i].shape;
      ASSERT_TRUE(got.fully_known()) << name << " output " << i << " is " << got.ToString();
      std::vector<int64_t> have;
      for (const Dim& d : got.dims) have.push_back(d.value);
      EXPECT_EQ(want, have) << name << " output " << i;
    }
    ASSERT_TRUE(n.macs.has_value()) << name;
    EXPECT_EQ(rn["macs"].get<int64_t>(), *n.macs) << name;
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(p.nodes.size()));
  EXPECT_EQ(ref["macs_total"].get<int64_t>(), p.totals.macs);
  EXPECT_EQ(e.macs, p.totals.macs);
  EXPECT_EQ(e.params, p.totals.params);
  EXPECT_EQ(0, p.totals.nodes_without_cost);
  EXPECT_TRUE(p.unsupported.empty());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ReferenceModel, ::testing::ValuesIn(kExpected), Name);

// Fixtures whose shapes the tool does not infer everywhere yet: Swin's shifted-window attention
// computes its padding at run time (Shape -> Gather -> Mod -> Sub -> Concat -> Pad), which the
// partial evaluator does not follow. Until it does, every node it *does* infer must agree with
// ONNX Runtime, and every node left without a cost must be named in the diagnostics (never a
// silent zero). When a model here infers completely, move it to kExpected.
const char* const kPartiallyInferred[] = {"swin_t", "swin_s"};

class PartiallyInferredModel : public ::testing::TestWithParam<const char*> {};

TEST_P(PartiallyInferredModel, AgreesWithOnnxRuntimeWhereInferredAndNamesTheRest) {
  const std::string model = GetParam();
  std::ifstream f(kModels + "ref/" + model + ".ort.json");
  ASSERT_TRUE(f) << "missing reference " << model;
  const json ref = json::parse(f);
  const Profile p = ProfileModel(ReadModel(kModels + model + ".onnx"));
  ASSERT_EQ(ref["n_nodes"].get<size_t>(), p.nodes.size());
  std::map<std::string, const json*> by_name;
  for (const json& rn : ref["nodes"]) by_name[rn["name"]] = &rn;
  std::set<std::string> reported;
  for (const auto& d : p.diagnostics) reported.insert(d.node);
  int inferred = 0, unknown = 0;
  for (const NodeProfile& n : p.nodes) {
    auto it = by_name.find(n.name);
    ASSERT_NE(it, by_name.end()) << n.name;
    const json& rn = *it->second;
    bool known = true;
    for (size_t i = 0; i < n.outputs.size(); ++i) {
      const Shape& got = n.outputs[i].shape;
      if (!got.fully_known()) {
        known = false;
        continue;
      }
      std::vector<int64_t> have;
      for (const Dim& d : got.dims) have.push_back(d.value);
      EXPECT_EQ(rn["shapes"][i].get<std::vector<int64_t>>(), have) << n.name << " output " << i;
    }
    if (n.macs.has_value()) {
      EXPECT_EQ(rn["macs"].get<int64_t>(), *n.macs) << n.name;
    } else {
      EXPECT_TRUE(reported.count(n.name)) << n.name << " has no cost and no diagnostic";
    }
    (known ? inferred : unknown) += 1;
  }
  EXPECT_LE(p.totals.macs, ref["macs_total"].get<int64_t>());
  RecordProperty("nodes_not_inferred", unknown);
  std::cout << model << ": " << inferred << " nodes inferred, " << unknown << " not yet\n";
}

INSTANTIATE_TEST_SUITE_P(Fixtures, PartiallyInferredModel, ::testing::ValuesIn(kPartiallyInferred));

TEST(ReferenceModel, UnboundSymbolLeavesCostsOutAndSaysSo) {
  const Profile p = ProfileModel(ReadModel(kModels + "resnet18_dynbatch.onnx"));
  EXPECT_EQ(0, p.totals.macs);
  EXPECT_EQ(48, p.totals.nodes_without_cost);  // all but Flatten, which moves data only
  bool said = false;
  for (const auto& d : p.diagnostics) said |= d.message.find("--dim batch=N") != std::string::npos;
  EXPECT_TRUE(said);
  // The symbol survives into the output shapes.
  EXPECT_EQ("batch", p.nodes.front().outputs[0].shape.dims[0].symbol);
}

TEST(ReferenceModel, InputOptionOverridesShape) {
  ProfileOptions opt;
  opt.input_shapes["input"] = {2, 3, 224, 224};
  const Profile p = ProfileModel(ReadModel(kModels + "resnet18.onnx"), opt);
  EXPECT_EQ(2 * 1814073344LL, p.totals.macs);
}

}  // namespace
}  // namespace tops
