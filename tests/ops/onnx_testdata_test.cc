// Oracle: every model of Debian's libonnx-testdata (ONNX's own backend test suite). The dims of
// test_data_set_0/input_*.pb are bound as input shapes, shapes are inferred by tops, and every
// output's dims are compared with output_*.pb. The pass count must not fall below
// tests/ops/testdata_threshold.txt.
//
// Inputs of at most kMaxKeptValues elements are given to the engine as initializers: the suite
// passes shape arguments (Reshape targets, Slice bounds, Resize scales, TopK's k) as graph inputs
// where an exporter would have frozen them into the file, and the reader keeps the values of
// such small tensors.
//
// Eligible models: every node (subgraphs included) in the default domain, no sequence, optional
// or string tensors (see README, "Shape inference coverage").
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "io/onnx_reader.h"
#include "testdata.h"
#include "tops/error.h"
#include "tops/profile.h"
#include "tops/read.h"

namespace tops {
namespace {

namespace fs = std::filesystem;

using testdata::EraseAnnotations;
using testdata::Frozen;
using testdata::kDataDir;
using testdata::ReadProto;

const char* kSuites[] = {"node", "pytorch-converted", "pytorch-operator", "simple"};

bool IsExcludedOp(const Node& n) {
  if (!n.domain.empty()) return true;
  const std::string& op = n.op_type;
  return op.rfind("Sequence", 0) == 0 || op.rfind("Optional", 0) == 0 || op == "SplitToSequence" ||
         op == "ConcatFromSequence" || op == "StringNormalizer";
}

// Why a model is outside the eligible set, or "" when it is eligible. Subgraph inputs may
// legally omit their types, so only the top-level graph's values are checked for tensor type.
std::string Exclusion(const Graph& g, bool top = true) {
  for (const Node& n : g.nodes) {
    if (IsExcludedOp(n)) {
      return n.domain.empty() ? "sequence/optional/string op " + n.op_type : "domain " + n.domain;
    }
    for (const Attribute& a : n.attributes) {
      for (const auto& sg : a.graphs) {
        std::string why = Exclusion(*sg, false);
        if (!why.empty()) return why;
      }
    }
  }
  for (const auto* list : {&g.inputs, &g.outputs}) {
    if (!top) break;
    for (const ValueInfo& v : *list) {
      if (!v.has_tensor_type) return "non-tensor value " + v.name;
      if (v.dtype == DType::kString) return "string tensor " + v.name;
    }
  }
  return "";
}

struct Outcome {
  std::string name;
  std::string excluded;  // non-empty: not in the eligible set
  std::string failure;   // non-empty: eligible and failed
};

Outcome RunOne(const fs::path& dir) {
  Outcome o;
  o.name = dir.parent_path().filename().string() + "/" + dir.filename().string();
  Model m;
  try {
    m = ReadModel((dir / "model.onnx").string());
  } catch (const Error& e) {
    o.failure = std::string("read: ") + e.what();
    return o;
  }
  o.excluded = Exclusion(m.graph);
  EraseAnnotations(m.graph);
  const fs::path data = dir / "test_data_set_0";
  std::vector<std::string> inputs;
  std::set<std::string> init_names;
  for (const auto& t : m.graph.initializers) init_names.insert(t.name);
  for (const auto& v : m.graph.inputs) {
    if (!init_names.count(v.name)) inputs.push_back(v.name);
  }
  ProfileOptions opt;
  for (size_t i = 0;; ++i) {
    const fs::path p = data / ("input_" + std::to_string(i) + ".pb");
    if (!fs::exists(p)) break;
    onnx::TensorProto t;
    if (!ReadProto(p, &t)) {
      if (o.excluded.empty()) o.excluded = "non-tensor input";
      return o;
    }
    const std::string name = t.name().empty() && i < inputs.size() ? inputs[i] : t.name();
    if (std::find(inputs.begin(), inputs.end(), name) == inputs.end()) {
      o.failure = "input file names unknown input '" + name + "'";
      return o;
    }
    TensorData frozen = Frozen(t, name);
    if (frozen.has_values && frozen.elems <= kMaxKeptValues) {
      m.graph.initializers.push_back(std::move(frozen));
    } else {
      opt.input_shapes[name] = frozen.dims;
    }
  }
  Profile p;
  try {
    p = ProfileModel(m, opt);
  } catch (const Error& e) {
    o.failure = std::string("profile: ") + e.what();
    return o;
  }
  for (size_t i = 0;; ++i) {
    const fs::path path = data / ("output_" + std::to_string(i) + ".pb");
    if (!fs::exists(path)) break;
    onnx::TensorProto t;
    if (!ReadProto(path, &t)) {
      if (o.excluded.empty()) o.excluded = "non-tensor output";
      return o;
    }
    const OutputInfo* got = nullptr;
    for (const OutputInfo& out : p.model.outputs) {
      if (out.name == t.name()) got = &out;
    }
    if (!got && t.name().empty() && i < p.model.outputs.size()) got = &p.model.outputs[i];
    if (!got) {
      o.failure = "output '" + t.name() + "' not in the graph";
      return o;
    }
    const std::vector<int64_t> want(t.dims().begin(), t.dims().end());
    if (!(got->shape == Shape::Known(want))) {
      o.failure = "output " + got->name + ": got " + got->shape.ToString() + ", want " +
                  Shape::Known(want).ToString();
      for (const Diagnostic& d : p.diagnostics) {
        if (!d.node.empty()) {
          o.failure += " [" + d.node + ": " + d.message + "]";
          break;
        }
      }
      return o;
    }
  }
  return o;
}

int64_t Threshold() {
  std::ifstream f(std::string(TOPS_TEST_DIR) + "/ops/testdata_threshold.txt");
  int64_t v = -1;
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    v = std::stoll(line);
    break;
  }
  return v;
}

TEST(OnnxTestdata, OutputShapesMatchTheSuite) {
  ASSERT_TRUE(fs::is_directory(kDataDir))
      << kDataDir << " is missing: install Debian's libonnx-testdata "
      << "(scripts/install-deps.sh --test)";
  const int64_t threshold = Threshold();
  ASSERT_GT(threshold, 0) << "tests/ops/testdata_threshold.txt has no pass count";
  int64_t eligible = 0, passed = 0, excluded = 0;
  std::vector<Outcome> failures;
  for (const char* suite : kSuites) {
    std::vector<fs::path> dirs;
    for (const auto& e : fs::directory_iterator(fs::path(kDataDir) / suite)) {
      if (fs::exists(e.path() / "model.onnx")) dirs.push_back(e.path());
    }
    std::sort(dirs.begin(), dirs.end());
    for (const fs::path& d : dirs) {
      Outcome o = RunOne(d);
      if (!o.excluded.empty()) {
        ++excluded;
        if (std::getenv("TOPS_TESTDATA_VERBOSE")) {
          std::cout << "  excluded " << o.name << ": " << o.excluded << "\n";
        }
        continue;
      }
      ++eligible;
      if (o.failure.empty())
        ++passed;
      else
        failures.push_back(std::move(o));
    }
  }
  for (const Outcome& o : failures) std::cout << "  FAIL " << o.name << ": " << o.failure << "\n";
  std::cout << "libonnx-testdata: " << passed << " / " << eligible << " eligible models pass ("
            << (eligible ? 100.0 * static_cast<double>(passed) / static_cast<double>(eligible) : 0)
            << "%), " << excluded << " excluded; threshold " << threshold << "\n";
  EXPECT_GE(passed, threshold);
  // The threshold itself must keep the promise of >= 95% of the eligible set.
  EXPECT_GE(threshold * 100, eligible * 95) << "raise tests/ops/testdata_threshold.txt";
}

}  // namespace
}  // namespace tops
