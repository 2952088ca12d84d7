// The StableHLO ops with a body subgraph (REDUCE, REDUCE_WINDOW, SORT, SCATTER, WHILE,
// COMPOSITE) and the window ops DILATE and REDUCE_WINDOW, in a model written here with the
// FlatBuffer writer of tflite_bytes.h. Operator codes and option slots are the TFLite schema's
// (tensorflow/compiler/mlir/lite/schema/schema.fbs); shapes and costs are worked out by hand in
// the comments, and the shapes stored in the file are those hand shapes.
#include <gtest/gtest.h>

#include <cstdint>

#include "io/tflite_reader.h"
#include "io/tflite_schema.h"
#include "tflite_bytes.h"
#include "tops/error.h"
#include "tops/profile.h"

namespace tops {
namespace {

using namespace testing::fbw;  // NOLINT: the writer's small vocabulary

Value I64(int64_t v) { return Value{Value::Kind::kI64, v}; }

// Builtin codes of the schema.
constexpr int64_t kStablehloAdd = 163, kStablehloReduce = 174, kStablehloScatter = 190,
                  kStablehloCompare = 191, kStablehloReduceWindow = 198, kStablehloSort = 199,
                  kStablehloWhile = 200, kDilate = 203, kReduceWindow = 205,
                  kStablehloRngBitGenerator = 204, kStablehloComposite = 206, kStablehloCase = 209;
// BuiltinOptions2 members (1-based, declaration order).
constexpr int64_t kReduceOptions = 6, kScatterOptions = 7, kReduceWindowOptions = 13,
                  kSortOptions = 14, kWhileOptions = 15, kDilateOptions = 18, kRngOptions = 19,
                  kTfliteReduceWindowOptions = 20, kCompositeOptions = 21, kCaseOptions = 23;

struct Builder {
  std::vector<TablePtr> opcodes, buffers, subgraphs;
  std::map<int64_t, int64_t> opcode_index;

  Builder() { Buffer(""); }
  int64_t Buffer(std::string data) {
    auto b = T();
    if (!data.empty()) b->Set(0, Bytes(std::move(data)));
    buffers.push_back(b);
    return static_cast<int64_t>(buffers.size() - 1);
  }
  int64_t Code(int64_t code) {
    auto it = opcode_index.find(code);
    if (it != opcode_index.end()) return it->second;
    auto c = T();
    c->Set(0, I8(std::min<int64_t>(code, 127))).Set(3, I32(code));
    opcodes.push_back(c);
    return opcode_index[code] = static_cast<int64_t>(opcodes.size() - 1);
  }
};

struct SubgraphBuilder {
  Builder& b;
  std::string name;
  std::vector<TablePtr> tensors, ops;
  std::vector<int64_t> inputs, outputs;
  // type: 0 float32, 2 int32, 4 int64, 6 bool.
  int64_t Tensor(const std::string& n, std::vector<int64_t> shape, int64_t type = 0,
                 int64_t buffer = 0) {
    auto t = T();
    t->Set(0, Ints(std::move(shape))).Set(1, I8(type)).Set(2, U32(buffer)).Set(3, Str(n));
    t->Set(8, U8(1));  // has_rank: scalars are rank 0, not unknown
    tensors.push_back(t);
    return static_cast<int64_t>(tensors.size() - 1);
  }
  int64_t Ints32(const std::string& n, const std::vector<int32_t>& v) {
    std::string data(reinterpret_cast<const char*>(v.data()), 4 * v.size());
    return Tensor(n, {static_cast<int64_t>(v.size())}, 2, b.Buffer(data));
  }
  int64_t Ints64(const std::string& n, const std::vector<int64_t>& v) {
    std::string data(reinterpret_cast<const char*>(v.data()), 8 * v.size());
    return Tensor(n, {static_cast<int64_t>(v.size())}, 4, b.Buffer(data));
  }
  void Op(int64_t code, std::vector<int64_t> in, std::vector<int64_t> out,
          int64_t options2_type = 0, TablePtr options2 = nullptr) {
    auto o = T();
    o->Set(0, U32(b.Code(code))).Set(1, Ints(std::move(in))).Set(2, Ints(std::move(out)));
    if (options2) o->Set(11, U8(options2_type)).Set(12, Sub(options2));
    ops.push_back(o);
  }
  TablePtr Finish() {
    auto s = T();
    s->Set(0, Subs(tensors)).Set(1, Ints(inputs)).Set(2, Ints(outputs)).Set(3, Subs(ops));
    s->Set(4, Str(name));
    return s;
  }
};

// Subgraphs 1..4: a scalar add (the reduction and scatter body), a scalar compare (the sort
// comparator), x + x on [1, 8, 8, 4] (the composite's decomposition and the while body) and the
// while condition (a compare whose stored output is a scalar bool).
enum : int64_t { kAddBody = 1, kCompareBody = 2, kDouble = 3, kCond = 4, kQuadruple = 5 };

// What a hostile file may change: the REDUCE_WINDOW padding and the DILATE factors.
struct Knobs {
  std::vector<int64_t> padding = {0, 0, 1, 1, 1, 1, 0, 0};
  std::vector<int32_t> dilations = {1, 2, 2, 1};
};

std::string ModelBytes(const Knobs& k = {}) {
  Builder b;
  SubgraphBuilder main{b, "main"};
  const int64_t x = main.Tensor("x", {1, 8, 8, 4});
  const int64_t init = main.Tensor("init", {}, 0, b.Buffer(std::string(4, '\0')));
  const int64_t branch = main.Tensor("branch", {}, 2);
  main.inputs = {x, branch};

  // STABLEHLO_REDUCE_WINDOW: 3x3 windows every 2 over H and W, padded by 1 on each side:
  // (8 - 1 + 1 + 1 + 1 - 3) / 2 + 1 = 4 -> [1, 4, 4, 4]; 64 outputs * 9 window elements * 1
  // add = 576 ops.
  const int64_t rw = main.Tensor("reduce_window", {1, 4, 4, 4});
  auto rwo = T();
  rwo->Set(0, Longs({1, 3, 3, 1})).Set(1, Longs({1, 2, 2, 1}));
  rwo->Set(4, Longs(k.padding)).Set(5, I32(kAddBody));
  main.Op(kStablehloReduceWindow, {x, init}, {rw}, kReduceWindowOptions, rwo);

  // STABLEHLO_REDUCE over H and W: [1, 4]; 256 elements folded once each = 256 ops.
  const int64_t red = main.Tensor("reduce", {1, 4});
  auto ro = T();
  ro->Set(0, Longs({1, 2})).Set(1, I32(kAddBody));
  main.Op(kStablehloReduce, {x, init}, {red}, kReduceOptions, ro);

  // STABLEHLO_SORT along the 4 channels: 256 elements * ceil(log2 4) = 512 comparisons.
  const int64_t sorted = main.Tensor("sort", {1, 8, 8, 4});
  auto so = T();
  so->Set(0, I64(3)).Set(2, I32(kCompareBody));
  main.Op(kStablehloSort, {x}, {sorted}, kSortOptions, so);

  // STABLEHLO_SCATTER of 2 updates into the [1, 4] reduction: 2 adds.
  const int64_t idx = main.Ints32("scatter_indices", {0, 2});
  main.tensors[static_cast<size_t>(idx)]->Set(0, Ints({2, 1}));
  const int64_t upd = main.Tensor("updates", {2}, 0, b.Buffer(std::string(8, '\0')));
  const int64_t scat = main.Tensor("scatter", {1, 4});
  auto sco = T();
  sco->Set(6, I32(kAddBody));
  main.Op(kStablehloScatter, {red, idx, upd}, {scat}, kScatterOptions, sco);

  // DILATE by 2 over H and W: (8 - 1) * 2 + 1 = 15 -> [1, 15, 15, 4]; no arithmetic.
  const int64_t dil = main.Ints32("dilations", k.dilations);
  const int64_t dilated = main.Tensor("dilate", {1, 15, 15, 4});
  main.Op(kDilate, {x, dil, init}, {dilated}, kDilateOptions, T());

  // REDUCE_WINDOW (ADD), 2x2 windows every 2: (8 - 2) / 2 + 1 = 4 -> [1, 4, 4, 4]; 64 * 4 =
  // 256 ops.
  const int64_t ws = main.Ints64("window_shape", {1, 2, 2, 1});
  const int64_t st = main.Ints64("window_strides", {1, 2, 2, 1});
  const int64_t wd = main.Ints64("window_dilations", {1, 1, 1, 1});
  const int64_t rwin = main.Tensor("tfl_reduce_window", {1, 4, 4, 4});
  auto tro = T();
  tro->Set(0, I32(1));  // ADD
  main.Op(kReduceWindow, {x, init, ws, st, wd}, {rwin}, kTfliteReduceWindowOptions, tro);

  // STABLEHLO_COMPOSITE: its decomposition x + x, 256 ops.
  const int64_t comp = main.Tensor("composite", {1, 8, 8, 4});
  auto co = T();
  co->Set(0, Str("odml.double")).Set(1, I32(kDouble));
  main.Op(kStablehloComposite, {x}, {comp}, kCompositeOptions, co);

  // STABLEHLO_WHILE: body x + x (256), cond 1 compare; with 3 trips (256 + 1) * 3 + 1 = 772.
  const int64_t wh = main.Tensor("while", {1, 8, 8, 4});
  auto wo = T();
  wo->Set(0, I32(kCond)).Set(1, I32(kDouble));
  main.Op(kStablehloWhile, {x}, {wh}, kWhileOptions, wo);

  // STABLEHLO_CASE over [x + x (256 ops), (x + x) + (x + x) (512 ops)]: the constant index 1
  // runs the second (512); the index given as a graph input counts the costliest (512).
  const int64_t one = main.Tensor("one", {}, 2, b.Buffer(std::string("\x01\0\0\0", 4)));
  const int64_t case_const = main.Tensor("case_const", {1, 8, 8, 4});
  const int64_t case_input = main.Tensor("case_input", {1, 8, 8, 4});
  auto cao = T();
  cao->Set(0, Ints({kDouble, kQuadruple}));
  main.Op(kStablehloCase, {one, x}, {case_const}, kCaseOptions, cao);
  main.Op(kStablehloCase, {branch, x}, {case_input}, kCaseOptions, cao);

  // STABLEHLO_RNG_BIT_GENERATOR: a uint64 state of 2 words in and out; 3 x 5 random uint32
  // words (the shape stored in the file): 15 ops.
  const int64_t state = main.Tensor("state", {2}, 12, b.Buffer(std::string(16, '\0')));
  const int64_t new_state = main.Tensor("new_state", {2}, 12);
  const int64_t bits = main.Tensor("bits", {3, 5}, 15);
  auto rno = T();
  rno->Set(0, I8(1));  // PHILOX
  main.Op(kStablehloRngBitGenerator, {state}, {new_state, bits}, kRngOptions, rno);
  main.outputs = {rw, scat, sorted, dilated, rwin, comp, wh, case_const, case_input, bits};

  SubgraphBuilder add{b, "add_body"};
  add.inputs = {add.Tensor("acc", {}), add.Tensor("elem", {})};
  add.outputs = {add.Tensor("sum", {})};
  add.Op(kStablehloAdd, add.inputs, add.outputs);
  SubgraphBuilder cmp{b, "compare_body"};
  cmp.inputs = {cmp.Tensor("lhs", {}), cmp.Tensor("rhs", {})};
  cmp.outputs = {cmp.Tensor("less", {}, 6)};
  cmp.Op(kStablehloCompare, cmp.inputs, cmp.outputs);
  SubgraphBuilder dbl{b, "double"};
  dbl.inputs = {dbl.Tensor("t", {1, 8, 8, 4})};
  dbl.outputs = {dbl.Tensor("t2", {1, 8, 8, 4})};
  dbl.Op(kStablehloAdd, {dbl.inputs[0], dbl.inputs[0]}, dbl.outputs);
  SubgraphBuilder cond{b, "cond"};
  cond.inputs = {cond.Tensor("t", {1, 8, 8, 4})};
  cond.outputs = {cond.Tensor("go_on", {}, 6)};
  cond.Op(kStablehloCompare, {cond.inputs[0], cond.inputs[0]}, cond.outputs);

  SubgraphBuilder quad{b, "quadruple"};
  quad.inputs = {quad.Tensor("t", {1, 8, 8, 4})};
  const int64_t t2 = quad.Tensor("t2", {1, 8, 8, 4});
  quad.outputs = {quad.Tensor("t4", {1, 8, 8, 4})};
  quad.Op(kStablehloAdd, {quad.inputs[0], quad.inputs[0]}, {t2});
  quad.Op(kStablehloAdd, {t2, t2}, quad.outputs);

  auto model = T();
  model->Set(0, U32(3)).Set(1, Subs(b.opcodes));
  model->Set(2, Subs({main.Finish(), add.Finish(), cmp.Finish(), dbl.Finish(), cond.Finish(),
                      quad.Finish()}));
  model->Set(3, Str("stablehlo bodies")).Set(4, Subs(b.buffers));
  return Writer().Finish(*model);
}

const NodeProfile& Profiled(const Profile& p, const std::string& name) {
  for (const NodeProfile& n : p.nodes) {
    if (n.name == name) return n;
  }
  throw std::runtime_error("no node " + name);
}

TEST(TfliteStablehlo, CodesAreTheSchemas) {
  EXPECT_EQ(io::tflite::BuiltinName(kStablehloReduce), "STABLEHLO_REDUCE");
  EXPECT_EQ(io::tflite::BuiltinName(kStablehloScatter), "STABLEHLO_SCATTER");
  EXPECT_EQ(io::tflite::BuiltinName(kStablehloReduceWindow), "STABLEHLO_REDUCE_WINDOW");
  EXPECT_EQ(io::tflite::BuiltinName(kStablehloSort), "STABLEHLO_SORT");
  EXPECT_EQ(io::tflite::BuiltinName(kStablehloWhile), "STABLEHLO_WHILE");
  EXPECT_EQ(io::tflite::BuiltinName(kDilate), "DILATE");
  EXPECT_EQ(io::tflite::BuiltinName(kReduceWindow), "REDUCE_WINDOW");
  EXPECT_EQ(io::tflite::BuiltinName(kStablehloComposite), "STABLEHLO_COMPOSITE");
  EXPECT_EQ(io::tflite::BuiltinName(kStablehloCase), "STABLEHLO_CASE");
  EXPECT_EQ(io::tflite::BuiltinName(kStablehloRngBitGenerator), "STABLEHLO_RNG_BIT_GENERATOR");
}

TEST(TfliteStablehlo, BodiesAndWindowsByHand) {
  const Model m = io::ReadTfliteBytes(ModelBytes(), "stablehlo.tflite");
  ProfileOptions o;
  o.dims["while:trips"] = 3;
  const Profile p = ProfileModel(m, o);
  std::string diags;
  for (const Diagnostic& d : p.diagnostics) diags += d.message + "\n";
  EXPECT_TRUE(p.unsupported.empty()) << diags;
  EXPECT_EQ(p.totals.nodes_without_cost, 0) << diags;
  EXPECT_EQ(diags.find("differs from the file"), std::string::npos) << diags;

  const std::map<std::string, std::pair<Shape, int64_t>> want = {
      {"reduce_window", {Shape::Known({1, 4, 4, 4}), 576}},
      {"reduce", {Shape::Known({1, 4}), 256}},
      {"sort", {Shape::Known({1, 8, 8, 4}), 512}},
      {"scatter", {Shape::Known({1, 4}), 2}},
      {"dilate", {Shape::Known({1, 15, 15, 4}), 0}},
      {"tfl_reduce_window", {Shape::Known({1, 4, 4, 4}), 256}},
      {"composite", {Shape::Known({1, 8, 8, 4}), 256}},
      {"while", {Shape::Known({1, 8, 8, 4}), 772}},
      {"case_const", {Shape::Known({1, 8, 8, 4}), 512}},
      {"case_input", {Shape::Known({1, 8, 8, 4}), 512}},
      {"new_state", {Shape::Known({2}), 15}},
  };
  int64_t total = 0;
  for (const auto& [name, w] : want) {
    SCOPED_TRACE(name);
    const NodeProfile& n = Profiled(p, name);
    EXPECT_EQ(n.outputs[0].shape, w.first);
    ASSERT_TRUE(n.other_ops.has_value());
    EXPECT_EQ(*n.other_ops, w.second);
    EXPECT_EQ(*n.macs, 0);
    total += w.second;
  }
  EXPECT_EQ(p.totals.other_ops, total);
  EXPECT_EQ(total, 3669);
  EXPECT_EQ(Profiled(p, "new_state").outputs[1].shape, Shape::Known({3, 5}));
  EXPECT_NE(diags.find("counting the costliest branch (1 of 2)"), std::string::npos) << diags;
  // The reader keeps the branches in order, with their indices.
  const tops::Node* c = nullptr;
  for (const tops::Node& n : m.graph.nodes) c = n.outputs[0] == "case_const" ? &n : c;
  ASSERT_NE(c, nullptr);
  ASSERT_NE(c->attr("branch_subgraphs"), nullptr);
  ASSERT_EQ(c->attr("branch_subgraphs")->graphs.size(), 2u);
  EXPECT_EQ(c->attr("branch_subgraphs")->graphs[1]->name, "quadruple");
  EXPECT_EQ(c->attr("branch_subgraph_indices")->ints, (std::vector<int64_t>{3, 5}));
}

TEST(TfliteStablehlo, WhileTripsUnboundAreNamed) {
  const Profile p = ProfileModel(io::ReadTfliteBytes(ModelBytes(), "stablehlo.tflite"));
  bool named = false;
  for (const Diagnostic& d : p.diagnostics) {
    named = named || d.message.find("--dim while:trips=N") != std::string::npos;
  }
  EXPECT_TRUE(named);
  EXPECT_EQ(p.totals.nodes_without_cost, 1);
}

TEST(TfliteStablehlo, HostileWindowsAreRefusedNotOverflowed) {
  // Padding that overflows int64 when added: the node's problem names the overflow (the walk
  // goes on), its output is unknown, not a wrapped size.
  Knobs huge;
  huge.padding = {0, 0, INT64_MAX, 1, 0, 0, 0, 0};
  const Profile h = ProfileModel(io::ReadTfliteBytes(ModelBytes(huge), "huge.tflite"));
  std::string problems;
  for (const Diagnostic& d : h.diagnostics) problems += d.message + "\n";
  EXPECT_NE(problems.find("padded input overflows"), std::string::npos) << problems;
  EXPECT_FALSE(Profiled(h, "reduce_window").outputs[0].shape.fully_known());
  // A zero dilation leaves DILATE's output unknown and says why.
  Knobs zero;
  zero.dilations = {1, 0, 2, 1};
  const Profile p = ProfileModel(io::ReadTfliteBytes(ModelBytes(zero), "zero.tflite"));
  std::string diags;
  for (const Diagnostic& d : p.diagnostics) diags += d.message + "\n";
  EXPECT_NE(diags.find("DILATE with a non-positive dilation"), std::string::npos) << diags;
}

}  // namespace
}  // namespace tops
