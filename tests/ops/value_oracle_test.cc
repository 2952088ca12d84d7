// Value oracle: the node tests of Debian's libonnx-testdata (ONNX's own backend tests, outputs
// computed by ONNX's numpy reference) against tops's partial evaluation. A test is eligible when
// every node of its graph has a value evaluator, every input file is a tensor of at most
// kMaxEvalElems elements of a type tops evaluates, and so is every expected output. Its inputs
// become initializers (constants), the graph is walked, and each output's folded value must
// equal the expected file: integers exactly, floats within 1e-6 relative. Tests whose ops all
// have evaluators but that are not eligible are printed with the reason (a string, sequence or
// optional tensor; a tensor above the element cap), so nothing is left out silently.
//
// tests/ops/value_oracle.txt holds the per-op counts and every eligible test that does not agree,
// with the reason; this test fails when either differs from what it measures, and when fewer
// than 95% of the eligible tests agree. TOPS_UPDATE_ORACLE=1 rewrites the counts and list
// (keeping the reasons already written; a new failure gets "REASON NEEDED", which fails).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "analysis/walk.h"
#include "ops/registry.h"
#include "testdata.h"
#include "tops/error.h"
#include "tops/read.h"

namespace tops {
namespace {

namespace fs = std::filesystem;
using testdata::Decode;
using testdata::Decoded;

const std::string kOracleFile = std::string(TOPS_TEST_DIR) + "/ops/value_oracle.txt";

struct Outcome {
  std::string test;
  std::string op;
  bool eligible = false;
  std::string failure;   // empty: agrees
  std::string excluded;  // every op evaluable, yet not eligible: why
};

bool SameFloat(double got, double want) {
  if (std::isnan(want)) return std::isnan(got);
  if (std::isinf(want)) return got == want;
  return std::fabs(got - want) <= 1e-6 * std::max(std::fabs(got), std::fabs(want));
}

std::string Num(double v) {
  std::ostringstream s;
  s.precision(9);
  s << v;
  return s.str();
}

// The suite stores bfloat16 tensors as uint16 bit patterns (numpy has no bfloat16): read them
// as the type the model declares.
Decoded AsDeclared(Decoded d, const std::vector<ValueInfo>& declared, const std::string& name) {
  for (const ValueInfo& v : declared) {
    if (v.name != name || v.dtype != DType::kBFloat16 || d.dtype != DType::kUint16) continue;
    d.dtype = DType::kBFloat16;
    for (int64_t bits : d.ints) d.floats.push_back(testdata::BFloatToDouble(bits));
    d.ints.clear();
  }
  return d;
}

// Why a test whose ops all have evaluators is still not eligible: a tensor that is not small or
// not of a type tops evaluates (strings, complex numbers), or a file the decoder does not read.
std::string Excluded(const char* which, const Decoded& d) {
  if (!d.ok) return std::string(which) + " file not decoded";
  if (d.elems > kMaxEvalElems) return std::string(which) + " above the element cap";
  return std::string(which) + " of type " + std::string(DTypeName(d.dtype));
}

Outcome RunOne(const fs::path& dir) {
  Outcome o;
  o.test = dir.filename().string();
  Model m;
  try {
    m = ReadModel((dir / "model.onnx").string());
  } catch (const Error&) {
    return o;
  }
  const Graph& g0 = m.graph;
  if (g0.nodes.empty()) return o;
  for (const Node& n : g0.nodes) {
    const OpEntry* e = Registry::Get().Find(n.domain, n.op_type);
    if (!e || !e->eval) return o;
    for (const Attribute& a : n.attributes) {
      if (!a.graphs.empty()) return o;
    }
  }
  o.op = g0.nodes.size() == 1 ? g0.nodes[0].op_type : "(expanded function tests)";
  testdata::EraseAnnotations(m.graph);
  std::set<std::string> inits;
  for (const TensorData& t : m.graph.initializers) inits.insert(t.name);
  std::vector<std::string> inputs;
  for (const ValueInfo& v : m.graph.inputs) {
    if (!inits.count(v.name)) inputs.push_back(v.name);
  }
  const fs::path data = dir / "test_data_set_0";
  for (size_t i = 0;; ++i) {
    const fs::path p = data / ("input_" + std::to_string(i) + ".pb");
    if (!fs::exists(p)) break;
    onnx::TensorProto t;
    if (!testdata::ReadProto(p, &t)) return o;
    const std::string name = t.name().empty() && i < inputs.size() ? inputs[i] : t.name();
    Decoded d = AsDeclared(Decode(t), m.graph.inputs, name);
    if (!d.ok || d.elems > kMaxEvalElems || !Evaluable(d.dtype)) {
      o.excluded = Excluded("input", d);
      return o;
    }
    TensorData frozen;
    frozen.name = name;
    frozen.dtype = d.dtype;
    frozen.dims = d.dims;
    frozen.elems = d.elems;
    frozen.has_payload = frozen.has_values = true;
    frozen.ints = d.ints;
    frozen.floats = d.floats;
    m.graph.initializers.push_back(std::move(frozen));
    std::erase(inputs, name);
  }
  if (!inputs.empty()) {  // an input without a file: not a constant-only test
    o.excluded = "an input has no data file";
    return o;
  }
  std::vector<std::pair<std::string, Decoded>> expected;
  for (size_t i = 0;; ++i) {
    const fs::path p = data / ("output_" + std::to_string(i) + ".pb");
    if (!fs::exists(p)) break;
    onnx::TensorProto t;
    if (!testdata::ReadProto(p, &t)) return o;
    const std::string name =
        t.name().empty() && i < m.graph.outputs.size() ? m.graph.outputs[i].name : t.name();
    Decoded d = AsDeclared(Decode(t), m.graph.outputs, name);
    if (!d.ok || d.elems > kMaxEvalElems || !Evaluable(d.dtype)) {
      o.excluded = Excluded("output", d);
      return o;
    }
    expected.emplace_back(name, std::move(d));
  }
  if (expected.empty()) return o;
  o.eligible = true;

  std::set<std::string> data_dependent;
  const std::map<std::string, int64_t> dims;
  WalkRecord record;
  const int64_t opset = m.opset("") ? m.opset("") : kLatestOpset;
  const WalkSettings settings{&m, &dims, &data_dependent, opset, &record};
  GraphWalk walk;
  try {
    GraphWalker walker(settings, m.graph, "", nullptr);
    walk = walker.Run();
    for (const auto& [name, want] : expected) {
      const ValueState* v = walker.scope().Find(name);
      if (!v || !v->has_value()) {
        o.failure = "output '" + name + "' not evaluated";
        for (const auto& [idx, note] : walk.eval_notes) {
          o.failure += ": " + m.graph.nodes[idx].op_type + " declined (" + note + ")";
          break;
        }
        return o;
      }
      std::vector<int64_t> got_dims;
      for (const Dim& d : v->shape.dims) got_dims.push_back(d.value);
      if (got_dims != want.dims) {
        o.failure = "output '" + name + "' has shape " + v->shape.ToString() + ", want " +
                    Shape::Known(want.dims).ToString();
        return o;
      }
      if (v->dtype != want.dtype) {
        o.failure = "output '" + name + "' is " + std::string(DTypeName(v->dtype)) + ", want " +
                    std::string(DTypeName(want.dtype));
        return o;
      }
      for (size_t k = 0; k < static_cast<size_t>(want.elems); ++k) {
        if (IsFloatDType(want.dtype)) {
          if (!SameFloat(v->floats[k], want.floats[k])) {
            o.failure = "output '" + name + "' element " + std::to_string(k) + " is " +
                        Num(v->floats[k]) + ", want " + Num(want.floats[k]);
            return o;
          }
        } else if (!v->ints[k].known || v->ints[k].v != want.ints[k]) {
          o.failure = "output '" + name + "' element " + std::to_string(k) + " is " +
                      (v->ints[k].known ? std::to_string(v->ints[k].v) : "unknown") + ", want " +
                      std::to_string(want.ints[k]);
          return o;
        }
      }
    }
  } catch (const Error& e) {
    o.failure = std::string("walk failed: ") + e.what();
  }
  return o;
}

struct Committed {
  std::map<std::string, std::pair<int64_t, int64_t>> counts;  // op -> eligible, agree
  std::map<std::string, std::string> failures;                // test -> reason
};

Committed ReadCommitted() {
  Committed c;
  std::ifstream f(kOracleFile);
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("test_", 0) == 0) {
      const auto colon = line.find(':');
      c.failures[line.substr(0, colon)] = colon == std::string::npos ? "" : line.substr(colon + 2);
      continue;
    }
    std::istringstream in(line);
    std::string op;
    int64_t eligible = 0, agree = 0;
    // The op name may hold spaces: the two counts are the last fields.
    std::vector<std::string> fields;
    for (std::string w; in >> w;) fields.push_back(w);
    if (fields.size() < 3) continue;
    agree = std::stoll(fields.back());
    eligible = std::stoll(fields[fields.size() - 2]);
    for (size_t i = 0; i + 2 < fields.size(); ++i) op += (i ? " " : "") + fields[i];
    c.counts[op] = {eligible, agree};
  }
  return c;
}

void WriteCommitted(const Committed& measured, const Committed& old) {
  std::ofstream f(kOracleFile);
  f << "# Value oracle (tests/ops/value_oracle_test.cc): libonnx-testdata node tests whose ops "
       "all\n"
       "# have a value evaluator and whose inputs and outputs are small tensors of evaluated "
       "types.\n"
       "# Per op: eligible tests, tests whose folded outputs equal the expected .pb (integers\n"
       "# exactly, floats within 1e-6 relative). Then every eligible test that does not agree, "
       "and\n"
       "# why. Regenerate the counts with TOPS_UPDATE_ORACLE=1; reasons are written by hand.\n";
  for (const auto& [op, c] : measured.counts) {
    f << op << " " << c.first << " " << c.second << "\n";
  }
  f << "# Not agreeing:\n";
  for (const auto& [test, why] : measured.failures) {
    auto it = old.failures.find(test);
    f << test << ": "
      << (it != old.failures.end() && !it->second.empty() ? it->second : "REASON NEEDED") << "\n";
  }
}

TEST(ValueOracle, FoldedValuesMatchTheSuite) {
  const fs::path node_dir = fs::path(testdata::kDataDir) / "node";
  ASSERT_TRUE(fs::is_directory(node_dir)) << node_dir << " is missing: install Debian's "
                                          << "libonnx-testdata (scripts/install-deps.sh --test)";
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(node_dir)) {
    if (fs::exists(e.path() / "model.onnx")) dirs.push_back(e.path());
  }
  std::sort(dirs.begin(), dirs.end());
  Committed measured;
  std::map<std::string, std::string> details;
  int64_t eligible = 0, agree = 0;
  std::map<std::string, std::string> excluded;
  for (const fs::path& d : dirs) {
    Outcome o = RunOne(d);
    if (!o.excluded.empty()) excluded[o.excluded] += " " + o.test;
    if (!o.eligible) continue;
    ++eligible;
    auto& c = measured.counts[o.op];
    ++c.first;
    if (o.failure.empty()) {
      ++agree;
      ++c.second;
    } else {
      measured.failures[o.test] = o.failure;
      details[o.test] = o.failure;
    }
  }
  const Committed committed = ReadCommitted();
  if (std::getenv("TOPS_UPDATE_ORACLE")) WriteCommitted(measured, committed);
  for (const auto& [test, why] : details) std::cout << "  differs " << test << ": " << why << "\n";
  std::cout << "value oracle: " << agree << " / " << eligible << " eligible node tests agree ("
            << (eligible ? 100.0 * static_cast<double>(agree) / static_cast<double>(eligible) : 0)
            << "%) over " << measured.counts.size() << " ops\n";
  for (const auto& [why, tests] : excluded) {
    std::cout << "  not eligible, every op evaluable: " << why << ":" << tests << "\n";
  }
  EXPECT_GE(agree * 100, eligible * 95) << "fewer than 95% of the eligible tests agree";
  EXPECT_EQ(committed.counts, measured.counts)
      << "per-op counts differ from tests/ops/value_oracle.txt (TOPS_UPDATE_ORACLE=1 rewrites)";
  for (const auto& [test, why] : measured.failures) {
    auto it = committed.failures.find(test);
    EXPECT_TRUE(it != committed.failures.end() && !it->second.empty() &&
                it->second != "REASON NEEDED")
        << test << " does not agree (" << why << ") and has no reason in value_oracle.txt";
  }
  for (const auto& [test, why] : committed.failures) {
    EXPECT_TRUE(measured.failures.count(test))
        << test << " is listed as not agreeing but agrees now: remove it from value_oracle.txt";
  }
}

}  // namespace
}  // namespace tops
