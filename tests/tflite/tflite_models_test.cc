// The TFLite fixtures (tests/models/tflite/make_tflite.py) against references that do not come
// from tops:
// - every tensor shape and type the TFLite runtime produced when it executed the model
//   (ref/*.runtime.json, written by run_reference.js with @tensorflow/tfjs-tflite's WebAssembly
//   build of the TFLite interpreter);
// - every shape and type stored in the file (written by the generator from hand arithmetic);
// - MobileNet v1's mult-adds and parameters by hand arithmetic from Howard et al. 2017, Table 1,
//   and the rounded figures of its Tables 6 and 7;
// - the same MobileNet v1 written as ONNX by tests/models/make_mobilenet_v1.cc.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "analysis/roofline.h"
#include "tflite_test_util.h"
#include "tops/profile.h"
#include "tops/read.h"

namespace tops {
namespace {

namespace fs = std::filesystem;
using testing::kTfliteDir;
using testing::ReadTflite;

// Bindings each fixture needs for every cost to be known.
ProfileOptions OptionsFor(const std::string& model) {
  ProfileOptions o;
  if (model.find("dynbatch") != std::string::npos) o.dims["batch"] = 1;
  if (model == "control_flow") o.dims["while_i:trips"] = 5;
  return o;
}

std::vector<std::string> Fixtures() {
  std::vector<std::string> v;
  for (const auto& e : fs::directory_iterator(kTfliteDir)) {
    if (e.path().extension() == ".tflite") v.push_back(e.path().stem().string());
  }
  std::sort(v.begin(), v.end());
  return v;
}

struct Tensor {
  DType dtype = DType::kUndefined;
  Shape shape;
};

// Every tensor of the main graph after inference: graph inputs and node outputs.
std::map<std::string, Tensor> Inferred(const Profile& p) {
  std::map<std::string, Tensor> t;
  for (const OutputInfo& i : p.model.inputs) t[i.name] = {i.dtype, i.shape};
  for (const NodeProfile& n : p.nodes) {
    for (const OutputInfo& o : n.outputs) t[o.name] = {o.dtype, o.shape};
  }
  return t;
}

TEST(TfliteFixtures, CommittedFilesAreWhatTheGeneratorWrites) {
  const fs::path out = fs::temp_directory_path() / ("tops_tflite_" + std::to_string(::getpid()));
  const std::string cmd =
      "/usr/bin/python3 " + kTfliteDir + "make_tflite.py " + out.string() + " > /dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd << " (python3-flatbuffers installed?)";
  int compared = 0;
  for (const std::string& m : Fixtures()) {
    const std::string fresh = testing::Slurp((out / (m + ".tflite")).string());
    EXPECT_FALSE(fresh.empty()) << m;
    EXPECT_TRUE(fresh == testing::TfliteBytes(m))
        << m << ".tflite differs from the generator's output; regenerate with "
        << "/usr/bin/python3 tests/models/tflite/make_tflite.py tests/models/tflite";
    ++compared;
  }
  // ... and the generator writes no model the repository lacks.
  int written = 0;
  for (const auto& e : fs::directory_iterator(out)) written += e.path().extension() == ".tflite";
  EXPECT_EQ(written, compared);
  fs::remove_all(out);
}

TEST(TfliteModels, EveryFixtureHasAnExecutedReferenceBarTwo) {
  const auto models = Fixtures();
  ASSERT_GE(models.size(), 20u);
  for (const std::string& m : models) {
    const bool has_ref = fs::exists(kTfliteDir + "ref/" + m + ".runtime.json");
    // The runtime has no Edge TPU, and predates weights stored after the FlatBuffer (it loads
    // the offsets model but fails to run it): those two are checked against their stored
    // shapes only.
    EXPECT_EQ(has_ref, m != "edgetpu_compiled" && m != "mobilenet_v1_0.25_128_offsets") << m;
  }
}

TEST(TfliteModels, ShapesEqualTheShapesTheRuntimeExecuted) {
  for (const auto& e : fs::directory_iterator(kTfliteDir + "ref")) {
    const nlohmann::json ref = nlohmann::json::parse(testing::Slurp(e.path().string()));
    const std::string model = ref["model"].get<std::string>();
    const std::string stem = model.substr(0, model.size() - 7);
    SCOPED_TRACE(model);
    const Profile p = ProfileModel(ReadTflite(stem), OptionsFor(stem));
    const auto inferred = Inferred(p);
    ASSERT_GT(ref["tensors"].size(), 0u);
    for (const auto& [name, t] : ref["tensors"].items()) {
      auto it = inferred.find(name);
      ASSERT_NE(it, inferred.end()) << "no tensor '" << name << "'";
      EXPECT_EQ(it->second.shape, Shape::Known(t["shape"].get<std::vector<int64_t>>())) << name;
      if (!t["dtype"].is_null()) {  // null: a type the runtime's binding does not name
        EXPECT_EQ(DTypeName(it->second.dtype), t["dtype"].get<std::string>()) << name;
      }
    }
    EXPECT_EQ(p.totals.nodes_without_cost, 0);
  }
}

TEST(TfliteModels, ShapesEqualTheShapesStoredInTheFile) {
  for (const std::string& m : Fixtures()) {
    SCOPED_TRACE(m);
    const Model model = ReadTflite(m);
    const Profile p = ProfileModel(model, OptionsFor(m));
    const auto inferred = Inferred(p);
    int checked = 0;
    for (const auto* list : {&model.graph.value_info, &model.graph.outputs}) {
      for (const ValueInfo& vi : *list) {
        auto it = inferred.find(vi.name);
        ASSERT_NE(it, inferred.end()) << vi.name;
        EXPECT_EQ(DTypeName(it->second.dtype), DTypeName(vi.dtype)) << vi.name;
        if (!vi.shape.rank_known) continue;  // a scalar the file does not mark as ranked
        ASSERT_EQ(it->second.shape.rank(), vi.shape.rank()) << vi.name;
        for (size_t d = 0; d < vi.shape.rank(); ++d) {
          // A stored -1 (dynamic batch) is unknown in the file; it is bound here.
          if (vi.shape.dims[d].known()) {
            EXPECT_EQ(it->second.shape.dims[d], vi.shape.dims[d]) << vi.name << " axis " << d;
          }
        }
        ++checked;
      }
    }
    EXPECT_GT(checked, 0);
    for (const Diagnostic& d : p.diagnostics) {
      EXPECT_EQ(d.message.find("differs from the file"), std::string::npos) << d.message;
    }
  }
}

// Howard et al. 2017, Table 1, by hand: the full conv, 13 depthwise-separable blocks, the
// classifier; channels scaled by alpha, the input by res. Returns {MACs, weights}.
std::pair<int64_t, int64_t> MobileNetByHand(double alpha, int64_t res) {
  auto c = [&](int64_t n) { return static_cast<int64_t>(n * alpha); };
  int64_t h = res / 2;
  int64_t macs = h * h * c(32) * 3 * 9, weights = c(32) * 3 * 9;
  const int64_t blocks[13][3] = {{32, 64, 1},    {64, 128, 2},  {128, 128, 1}, {128, 256, 2},
                                 {256, 256, 1},  {256, 512, 2}, {512, 512, 1}, {512, 512, 1},
                                 {512, 512, 1},  {512, 512, 1}, {512, 512, 1}, {512, 1024, 2},
                                 {1024, 1024, 1}};
  for (const auto& b : blocks) {
    h = (h + b[2] - 1) / b[2];
    macs += h * h * c(b[0]) * 9 + h * h * c(b[0]) * c(b[1]);
    weights += c(b[0]) * 9 + c(b[0]) * c(b[1]);
  }
  return {macs + c(1024) * 1000, weights + c(1024) * 1000};
}

TEST(TfliteModels, MobileNetV1MatchesHandArithmeticAndThePaper) {
  struct Row {
    const char* model;
    double alpha;
    int64_t res;
    int64_t paper_million_macs;  // Table 6 (width) and Table 7 (resolution)
    double paper_million_params;
  };
  // Table 7 prints 290 for 1.0-160, whose exact count is 290,675,200 (290.7 M): the paper
  // truncates there. TF-slim's table (research/slim/nets/mobilenet_v1.md) prints 291.
  const Row rows[] = {
      {"mobilenet_v1_1.0_224", 1.0, 224, 569, 4.2},   {"mobilenet_v1_1.0_192", 1.0, 192, 418, 4.2},
      {"mobilenet_v1_1.0_160", 1.0, 160, 290, 4.2},   {"mobilenet_v1_1.0_128", 1.0, 128, 186, 4.2},
      {"mobilenet_v1_0.75_224", 0.75, 224, 325, 2.6}, {"mobilenet_v1_0.5_224", 0.5, 224, 149, 1.3},
      {"mobilenet_v1_0.25_224", 0.25, 224, 41, 0.5},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.model);
    const Profile p = ProfileModel(ReadTflite(r.model));
    const auto [macs, weights] = MobileNetByHand(r.alpha, r.res);
    EXPECT_EQ(p.totals.macs, macs);
    EXPECT_EQ(p.totals.nodes_without_cost, 0);
    // The paper rounds to millions, except 1.0-160 (290.7 M printed 290: truncated).
    const double million = static_cast<double>(p.totals.macs) / 1e6;
    if (r.res == 160 && r.alpha == 1.0) {
      EXPECT_EQ(std::llround(million), 291);
      EXPECT_EQ(static_cast<int64_t>(million), r.paper_million_macs);
    } else {
      EXPECT_EQ(std::llround(million), r.paper_million_macs);
    }
    // Parameters in the file: the weights, one folded bias per output channel and the two
    // MEAN axes (an int32 constant, counted like any ONNX initializer).
    int64_t biases = 0, depthwise = 0;
    for (const NodeProfile& n : p.nodes) {
      if (n.op == "CONV_2D" || n.op == "DEPTHWISE_CONV_2D" || n.op == "FULLY_CONNECTED") {
        biases += n.outputs[0].shape.dims.back().value;
      }
      depthwise += analysis::ClassifyNode(n) == OpClass::kDepthwise;
    }
    EXPECT_EQ(p.totals.params, weights + biases + 2);
    EXPECT_EQ(depthwise, 13);
    EXPECT_NEAR(static_cast<double>(weights) / 1e6, r.paper_million_params, 0.05);
  }
}

TEST(TfliteModels, SameCostsAsTheOnnxTwin) {
  // make_mobilenet_v1.cc writes the ONNX form: Conv + Clip(0, 6) per layer, GlobalAveragePool,
  // Flatten, Gemm. The TFLite form fuses ReLU6 into each convolution and pools with MEAN.
  const Profile onnx =
      ProfileModel(ReadModel(std::string(TOPS_TEST_DIR) + "/models/mobilenet_v1.onnx"));
  const Profile tfl = ProfileModel(ReadTflite("mobilenet_v1_1.0_224"));
  EXPECT_EQ(tfl.totals.macs, onnx.totals.macs);
  EXPECT_EQ(tfl.totals.flops, onnx.totals.flops);
  EXPECT_EQ(tfl.totals.other_ops, onnx.totals.other_ops);
  // ONNX's two Clip bounds are initializers; TFLite's two MEAN axes are buffers.
  EXPECT_EQ(tfl.totals.params, onnx.totals.params);
  EXPECT_EQ(tfl.totals.weight_bytes, onnx.totals.weight_bytes);

  // Layer by layer: each ONNX compute layer (with the Clip that follows it) is one TFLite op.
  struct Layer {
    std::string op;
    int64_t macs = 0, other = 0, params = 0;
    Shape out;
  };
  std::vector<Layer> a, b;
  for (const NodeProfile& n : onnx.nodes) {
    if (n.op == "Flatten") continue;  // MEAN without keep_dims already gives [1, 1024]
    if (n.op == "Clip") {
      a.back().other += *n.other_ops;
      a.back().params += n.params;  // the first Clip reads the two bounds
      continue;
    }
    a.push_back({n.op, *n.macs, *n.other_ops, n.params, n.outputs[0].shape});
  }
  // The ONNX side's params include the Clip bounds (on the first conv here); TFLite's the MEAN
  // axes.
  a.front().params -= 2;
  for (const NodeProfile& n : tfl.nodes) {
    b.push_back({n.op, *n.macs, *n.other_ops, n.params, n.outputs[0].shape});
  }
  b[b.size() - 2].params -= 2;
  ASSERT_EQ(a.size(), b.size());
  const std::map<std::string, std::string> twin = {{"Conv", "CONV_2D|DEPTHWISE_CONV_2D"},
                                                   {"GlobalAveragePool", "MEAN"},
                                                   {"Gemm", "FULLY_CONNECTED"}};
  for (size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE(std::to_string(i) + " " + a[i].op + " / " + b[i].op);
    EXPECT_NE(twin.at(a[i].op).find(b[i].op), std::string::npos);
    EXPECT_EQ(a[i].macs, b[i].macs);
    EXPECT_EQ(a[i].other, b[i].other);
    EXPECT_EQ(a[i].params, b[i].params);
    // Same sizes, NCHW against NHWC.
    const Shape& o = a[i].out;
    const Shape& t = b[i].out;
    if (o.rank() == 4 && t.rank() == 4) {
      EXPECT_EQ(t.ToString(), Shape::Of({o.dims[0], o.dims[2], o.dims[3], o.dims[1]}).ToString());
    } else {
      EXPECT_EQ(t.elems(), o.elems());  // GlobalAveragePool keeps 1x1, MEAN drops it
    }
  }
}

TEST(TfliteModels, DeprecatedOpcodesReadLikeTheCurrentField) {
  const Model old_codes = ReadTflite("mobilenet_v1_0.25_128_deprecated_opcodes");
  const Model current = ReadTflite("mobilenet_v1_0.25_128");
  ASSERT_EQ(old_codes.graph.nodes.size(), current.graph.nodes.size());
  for (size_t i = 0; i < current.graph.nodes.size(); ++i) {
    EXPECT_EQ(old_codes.graph.nodes[i].op_type, current.graph.nodes[i].op_type);
  }
  EXPECT_EQ(ProfileModel(old_codes).totals.macs, ProfileModel(current).totals.macs);
}

}  // namespace
}  // namespace tops
