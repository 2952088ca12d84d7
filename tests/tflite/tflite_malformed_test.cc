// The TFLite malformed-input table: hand-made broken files (tflite_bytes.h, or bytes of a real
// fixture cut or patched), each with the outcome it must produce. Every case runs through the
// library (reader, profile, every writer) and must give a tops::Error naming the problem
// (and, for a FlatBuffer fault, the byte offset) or load with the expected diagnostic; and
// through the CLI, which must exit 2 with the message (0 for a loadable file) within the time
// and memory bounds of run_cli.h: never a crash, a hang or an unbounded allocation. With
// TOPS_WRITE_CORPUS=DIR set, every case's bytes are also written to DIR (the fuzz corpus's TFLite
// seeds).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>

#include "../fuzz/pipeline.h"
#include "../malformed/run_cli.h"
#include "io/tflite_reader.h"
#include "tflite_bytes.h"
#include "tflite_test_util.h"
#include "tops/error.h"
#include "tops/profile.h"

namespace tops {
namespace {

using namespace testing::fbw;  // NOLINT: the table below reads best with the short names

enum class Expect { kError, kOk };

struct Case {
  std::string name;
  Expect expect;
  std::string fragment;  // in the error, or in the diagnostics of a loaded model
  std::function<std::string()> bytes;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

void Patch32(std::string& b, size_t at, uint32_t v) { std::memcpy(&b[at], &v, 4); }
uint32_t Read32(const std::string& b, size_t at) {
  uint32_t v;
  std::memcpy(&v, &b[at], 4);
  return v;
}
uint16_t Read16(const std::string& b, size_t at) {
  uint16_t v;
  std::memcpy(&v, &b[at], 2);
  return v;
}
// The root table of a serialised model and its vtable.
size_t Root(const std::string& b) { return Read32(b, 0); }
size_t RootVtable(const std::string& b) {
  int32_t soff;
  std::memcpy(&soff, &b[Root(b)], 4);
  return static_cast<size_t>(static_cast<int64_t>(Root(b)) - soff);
}

std::string Tiny(const std::function<void(TinyModel&)>& change) {
  TinyModel m;
  change(m);
  return m.Serialize();
}

// A control-flow operator in the tiny model's main subgraph: opcode `code` with `options`
// (type `options_type`) reading tensor `input` and writing a new tensor.
TablePtr AddOp(TinyModel& m, int64_t code, int64_t options_type, TablePtr options,
               std::vector<int64_t> inputs = {0}) {
  m.OpCode(code);
  m.Tensor("cf_out_" + std::to_string(m.tensors.size()), {1, 8, 8, 3});
  auto op = T();
  op->Set(0, U32(static_cast<int64_t>(m.opcodes.size()) - 1)).Set(1, Ints(std::move(inputs)));
  op->Set(2, Ints({static_cast<int64_t>(m.tensors.size()) - 1}));
  op->Set(3, U8(options_type)).Set(4, Sub(std::move(options)));
  m.subgraph->Set(3, Subs({m.conv_op, m.mean_op, op}));
  return op;
}

// A subgraph that passes its input through a CALL of `callee` (opcode 2), or through RELU
// (opcode 3) when callee < 0.
TablePtr PassThrough(int64_t callee) {
  auto x = T();
  x->Set(0, Ints({1, 8, 8, 3})).Set(3, Str("x"));
  auto y = T();
  y->Set(0, Ints({1, 8, 8, 3})).Set(3, Str("y"));
  auto op = T();
  op->Set(0, U32(callee < 0 ? 3 : 2)).Set(1, Ints({0})).Set(2, Ints({1}));
  if (callee >= 0) {
    auto options = T();
    options->Set(0, U32(callee));
    op->Set(3, U8(16)).Set(4, Sub(options));
  }
  auto sg = T();
  sg->Set(0, Subs({x, y})).Set(1, Ints({0})).Set(2, Ints({1})).Set(3, Subs({op}));
  return sg;
}

// The tiny model with CALL (code 31) into a chain of `depth` subgraphs, the last one calling
// `last_callee` (-1: none; otherwise an index, making a cycle).
std::string CallChain(int depth, int64_t last_callee) {
  TinyModel m;
  m.OpCode(31);  // opcode 2: CALL
  m.OpCode(19);  // opcode 3: RELU
  std::vector<TablePtr> subgraphs{m.subgraph};
  for (int i = 1; i <= depth; ++i) {
    subgraphs.push_back(PassThrough(i < depth ? i + 1 : last_callee));
  }
  auto options = T();
  options->Set(0, U32(1));
  m.Tensor("call_out", {1, 8, 8, 3});
  auto op = T();
  op->Set(0, U32(2)).Set(1, Ints({0})).Set(2, Ints({6})).Set(3, U8(16)).Set(4, Sub(options));
  m.subgraph->Set(3, Subs({m.conv_op, m.mean_op, op}));
  m.model->Set(2, Subs(subgraphs));
  return m.Serialize();
}

// A FlexBuffer map {"a": 5} whose header claims `count` entries.
std::string FlexMap(uint8_t count) {
  return std::string("a\0\x01\x03\x01\x01", 6) + static_cast<char>(count) +
         std::string("\x05\x06\x04\x04\x04\x24\x01", 7);
}

// The tiny model with a TFLite_Detection_PostProcess whose custom options are `options`.
std::string DetectionWithOptions(const std::string& options) {
  return Tiny([&](TinyModel& m) {
    m.OpCode(32)->Set(1, Str("TFLite_Detection_PostProcess"));
    m.Tensor("detections", {1, 10, 4});
    auto op = T();
    op->Set(0, U32(static_cast<int64_t>(m.opcodes.size()) - 1)).Set(1, Ints({0}));
    op->Set(2, Ints({6})).Set(5, Bytes(options));
    m.subgraph->Set(3, Subs({m.conv_op, m.mean_op, op}));
  });
}

std::vector<Case> Cases() {
  std::vector<Case> c;
  auto err = [&](std::string name, std::string fragment, std::function<std::string()> bytes) {
    c.push_back({std::move(name), Expect::kError, std::move(fragment), std::move(bytes)});
  };
  auto ok = [&](std::string name, std::string fragment, std::function<std::string()> bytes) {
    c.push_back({std::move(name), Expect::kOk, std::move(fragment), std::move(bytes)});
  };

  ok("valid_tiny_model", "", [] { return TinyModel().Serialize(); });
  // -- The container --
  err("empty_file", "too short", [] { return std::string(); });
  err("seven_bytes", "too short", [] { return std::string("\x10\0\0\0TFL", 7); });
  err("wrong_file_identifier", "file identifier 'TFL2'",
      [] { return Writer().Finish(*TinyModel().model, "TFL2"); });
  err("onnx_bytes", "not TFL3", [] { return std::string("\x08\x07\x12\x07pytorch", 10); });
  err("root_offset_past_end", "points outside the file", [] {
    std::string b = TinyModel().Serialize();
    Patch32(b, 0, 0xFFFFFF00u);
    return b;
  });
  err("root_offset_zero", "offset 0 points outside", [] {
    std::string b = TinyModel().Serialize();
    Patch32(b, 0, 0);
    return b;
  });
  err("vtable_outside_file", "vtable offset", [] {
    std::string b = TinyModel().Serialize();
    Patch32(b, Root(b), 0x80000000u);
    return b;
  });
  err("vtable_size_odd", "vtable of 5 bytes", [] {
    std::string b = TinyModel().Serialize();
    const uint16_t five = 5;
    std::memcpy(&b[RootVtable(b)], &five, 2);
    return b;
  });
  err("table_size_past_end", "runs past the end", [] {
    std::string b = TinyModel().Serialize();
    const uint16_t big = 0xFFF0;
    std::memcpy(&b[RootVtable(b) + 2], &big, 2);
    return b;
  });
  err("field_offset_outside_table", "lies outside its table", [] {
    std::string b = TinyModel().Serialize();
    const uint16_t far = static_cast<uint16_t>(Read16(b, RootVtable(b) + 2) + 4);
    std::memcpy(&b[RootVtable(b) + 4], &far, 2);  // Model.version
    return b;
  });
  err("vector_element_offset_outside", "points outside", [] {
    TinyModel m;
    std::string b = m.Serialize();
    // The subgraphs vector's only element: find it from the root's vtable slot 2.
    const size_t field = Root(b) + Read16(b, RootVtable(b) + 4 + 2 * 2);
    const size_t vec = field + Read32(b, field);
    Patch32(b, vec + 4, 0x7FFFFFF0u);
    return b;
  });
  // -- Model --
  err("schema_version_2", "schema version 2",
      [] { return Tiny([](TinyModel& m) { m.model->Set(0, U32(2)); }); });
  err("no_subgraphs", "has no subgraphs",
      [] { return Tiny([](TinyModel& m) { m.model->Set(2, Subs({})); }); });
  err("subgraphs_length_huge", "vector of 2147483647 elements", [] {
    TinyModel m;
    m.model->Set(2, Subs({m.subgraph}));
    m.model->fields[2].declared_length = 0x7FFFFFFF;
    return Writer().Finish(*m.model);
  });
  err("operator_codes_length_huge", "operator_codes", [] {
    TinyModel m;
    m.Serialize();  // links the vectors
    m.model->Set(1, Subs(m.opcodes));
    m.model->fields[1].declared_length = 0x40000000;
    return Writer().Finish(*m.model);
  });
  err("signature_subgraph_out_of_range", "subgraph index 7 out of range", [] {
    return Tiny([](TinyModel& m) {
      auto sig = T();
      sig->Set(0, Subs({})).Set(1, Subs({})).Set(2, Str("serving_default")).Set(4, U32(7));
      m.model->Set(7, Subs({sig}));
    });
  });
  // -- Operator codes --
  err("custom_op_without_custom_code", "custom operator without custom_code", [] {
    return Tiny([](TinyModel& m) {
      m.opcodes[1]->fields.clear();
      m.opcodes[1]->Set(0, I8(32)).Set(3, I32(32));
    });
  });
  err("negative_builtin_code", "negative builtin code",
      [] { return Tiny([](TinyModel& m) { m.opcodes[1]->Set(0, I8(-5)).Set(3, I32(-5)); }); });
  ok("unknown_builtin_code_is_named", "BUILTIN_300",
     [] { return Tiny([](TinyModel& m) { m.opcodes[1]->Set(0, I8(127)).Set(3, I32(300)); }); });
  err("opcode_index_out_of_range", "opcode index 7 out of range",
      [] { return Tiny([](TinyModel& m) { m.conv_op->Set(0, U32(7)); }); });
  // -- Tensors --
  err("tensor_shape_length_huge", "shape: vector of 1073741824 elements", [] {
    return Tiny([](TinyModel& m) { m.tensors[3]->fields[0].declared_length = 0x40000000; });
  });
  err("tensor_name_length_huge", "name: vector of", [] {
    return Tiny([](TinyModel& m) { m.tensors[3]->fields[3].declared_length = 0x7FFFFFF0; });
  });
  err("negative_dim", "negative dim -5", [] {
    return Tiny([](TinyModel& m) { m.tensors[0]->Set(0, Ints({1, -5, 8, 3})); });
  });
  err("rank_over_32", "rank 33 exceeds 32", [] {
    return Tiny([](TinyModel& m) { m.tensors[5]->Set(0, Ints(std::vector<int64_t>(33, 1))); });
  });
  err("unknown_tensor_type", "unknown tensor type 99",
      [] { return Tiny([](TinyModel& m) { m.tensors[3]->Set(1, I8(99)); }); });
  err("buffer_index_out_of_range", "buffer index 42 out of range",
      [] { return Tiny([](TinyModel& m) { m.tensors[1]->Set(2, U32(42)); }); });
  err("shape_signature_rank_differs", "differs from the shape's 4", [] {
    return Tiny([](TinyModel& m) { m.tensors[0]->Set(7, Ints({-1, 8, 8})); });
  });
  err("constant_with_unknown_dim", "has an unknown dim", [] {
    return Tiny([](TinyModel& m) { m.tensors[1]->Set(0, Ints({4, -1, 3, 3})); });
  });
  err("int_constant_buffer_size_mismatch", "holds 5 bytes",
      [] { return Tiny([](TinyModel& m) { m.buffers[1]->Set(0, Bytes(std::string(5, '\1'))); }); });
  err("buffer_offset_past_end", "lies outside the file", [] {
    return Tiny([](TinyModel& m) {
      m.buffers[1]->fields.clear();
      m.buffers[1]->Set(1, U64(int64_t{1} << 40)).Set(2, U64(8));
    });
  });
  err("quantized_dimension_out_of_range", "axis 9 is not a dim", [] {
    return Tiny([](TinyModel& m) {
      auto q = T();
      q->Set(2, Floats({1, 1, 1, 1})).Set(3, Longs({0, 0, 0, 0})).Set(6, I32(9));
      m.tensors[1]->Set(4, Sub(q));
    });
  });
  err("scales_and_zero_points_differ", "4 scales but 3 zero points", [] {
    return Tiny([](TinyModel& m) {
      auto q = T();
      q->Set(2, Floats({1, 1, 1, 1})).Set(3, Longs({0, 0, 0}));
      m.tensors[1]->Set(4, Sub(q));
    });
  });
  err("sparse_index_vector_type_unknown", "unknown index vector type 9", [] {
    return Tiny([](TinyModel& m) {
      auto dm = T();
      dm->Set(0, I8(1)).Set(2, U8(9)).Set(3, Sub(T()));
      auto sp = T();
      sp->Set(0, Ints({0, 1, 2, 3})).Set(2, Subs({dm}));
      m.tensors[1]->Set(6, Sub(sp));
    });
  });
  // -- Subgraph and operator lists --
  err("op_input_index_out_of_range", "tensor index 99 out of range", [] {
    return Tiny([](TinyModel& m) { m.conv_op->Set(1, Ints({0, 1, 99})); });
  });
  err("subgraph_input_index_negative", "tensor index -1 out of range",
      [] { return Tiny([](TinyModel& m) { m.subgraph->Set(1, Ints({-1})); }); });
  err("operators_length_huge", "operators: vector of", [] {
    return Tiny([](TinyModel& m) {
      m.subgraph->Set(3, Subs({m.conv_op, m.mean_op}));
      m.subgraph->fields[3].declared_length = 0x3FFFFFFF;
    });
  });
  err("unknown_options_type", "unknown options type 200",
      [] { return Tiny([](TinyModel& m) { m.mean_op->Set(3, U8(200)); }); });
  ok("unknown_padding_code", "padding UNKNOWN_7 is neither SAME nor VALID",
     [] { return Tiny([](TinyModel& m) { m.conv_options->Set(0, I8(7)); }); });
  err("two_ops_write_one_tensor", "is produced by two nodes",
      [] { return Tiny([](TinyModel& m) { m.mean_op->Set(2, Ints({3})); }); });
  err("op_reads_its_own_output", "cycle", [] {
    return Tiny([](TinyModel& m) { m.conv_op->Set(1, Ints({3, 1, 2})); });
  });
  err("huge_fan_out_of_a_long_name", "work budget", [] {
    return Tiny([](TinyModel& m) {
      m.tensors[0]->Set(3, Str(std::string(60000, 'n')));
      m.mean_op->Set(1, Ints(std::vector<int64_t>(30000, 0)));
    });
  });
  // -- Subgraph references --
  err("while_body_is_the_model_itself", "calls itself", [] {
    return Tiny([](TinyModel& m) {
      auto o = T();
      o->Set(0, I32(0)).Set(1, I32(0));
      AddOp(m, 119, 93, o);
    });
  });
  err("if_branch_out_of_range", "subgraph index 5 out of range", [] {
    return Tiny([](TinyModel& m) {
      auto o = T();
      o->Set(0, I32(5)).Set(1, I32(5));
      AddOp(m, 118, 92, o, {0, 0});
    });
  });
  err("negative_subgraph_index", "negative subgraph index -3", [] {
    return Tiny([](TinyModel& m) {
      auto o = T();
      o->Set(0, I32(-3));
      AddOp(m, 129, 103, o, {});
    });
  });
  err("two_subgraphs_call_each_other", "calls itself", [] { return CallChain(2, 1); });
  err("subgraphs_nested_70_deep", "nested more than 64 deep", [] { return CallChain(70, -1); });
  ok("call_chain_of_3", "", [] { return CallChain(3, -1); });
  // -- Custom options (FlexBuffers) --
  err("detection_options_root_wider_than_blob", "root wider",
      [] { return DetectionWithOptions(std::string("\x00\x24\x40", 3)); });
  err("detection_options_keys_and_values_differ", "keys and values of the map differ",
      [] { return DetectionWithOptions(FlexMap(2)); });
  ok("detection_options_minimal_map", "max_detections",
     [] { return DetectionWithOptions(FlexMap(1)); });
  // -- A real fixture cut short at 16 places --
  for (int k = 0; k < 16; ++k) {
    err("zoo_vision_cut_" + std::to_string(k), "at byte", [k] {
      const std::string full = testing::TfliteBytes("zoo_vision");
      return full.substr(0, 8 + (full.size() - 64) * static_cast<size_t>(k) / 16);
    });
  }
  return c;
}

class TfliteMalformed : public ::testing::TestWithParam<Case> {};

TEST_P(TfliteMalformed, LibraryGivesTheExpectedOutcome) {
  const Case& c = GetParam();
  const std::string bytes = c.bytes();
  if (const char* dir = std::getenv("TOPS_WRITE_CORPUS")) {
    std::ofstream(std::string(dir) + "/tflite_" + c.name + ".tflite", std::ios::binary) << bytes;
  }
  std::string error;
  bool read = false;  // the reader accepted the bytes; an error came from the graph walk
  Profile prof;
  try {
    const Model m = io::ReadTfliteBytes(bytes, c.name + ".tflite");
    read = true;
    prof = ProfileModel(m);
    fuzz::WriteEverything(prof);
  } catch (const Error& e) {
    error = e.what();
  }
  if (c.expect == Expect::kError) {
    ASSERT_FALSE(error.empty()) << "expected an error containing '" << c.fragment << "'";
    EXPECT_NE(error.find(c.fragment), std::string::npos) << error;
    // Every reader error names the byte offset where the problem is; a graph the reader
    // accepted (two ops writing one tensor, a cycle) is refused by the walk, naming the ops.
    EXPECT_NE(error.find(read ? "tflite::" : "at byte "), std::string::npos) << error;
    return;
  }
  ASSERT_TRUE(error.empty()) << error;
  std::string diags;
  for (const Diagnostic& d : prof.diagnostics) diags += d.message + "\n";
  if (c.fragment.empty()) {
    EXPECT_EQ(prof.unsupported.size(), 0u) << diags;
    EXPECT_EQ(prof.totals.nodes_without_cost, 0) << diags;
  } else {
    EXPECT_NE(diags.find(c.fragment), std::string::npos) << diags;
  }
}

TEST_P(TfliteMalformed, CliExitsTwoWithTheMessageWithinBounds) {
  const Case& c = GetParam();
  const std::string dir =
      ::testing::TempDir() + "tops_tflite_malformed_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/" + c.name + ".tflite";
  const std::string bytes = c.bytes();
  std::ofstream(path, std::ios::binary) << bytes;
  // ReadModel recognises a TFLite file by its identifier; without one the error is its own.
  const bool tflite = bytes.size() >= 8 && bytes.substr(4, 4) == "TFL3";
  for (const char* format : {"table", "json"}) {
    const testing::CliResult r = testing::RunCli({"profile", path, "--format", format});
    ASSERT_EQ(0, r.signal) << "killed by signal; stderr:\n" << r.err;
    if (c.expect == Expect::kError) {
      EXPECT_EQ(2, r.exit_code) << r.err;
      EXPECT_EQ(r.err.rfind("tops: error: ", 0), 0u) << r.err;
      if (tflite) EXPECT_NE(r.err.find(c.fragment), std::string::npos) << r.err;
    } else {
      EXPECT_EQ(0, r.exit_code) << r.err;
    }
    EXPECT_LT(r.seconds, testing::kMaxSeconds) << format;
    EXPECT_LT(r.max_rss_kb, testing::kMaxRssKb) << format;
  }
  std::filesystem::remove(path);
}

INSTANTIATE_TEST_SUITE_P(Cases, TfliteMalformed, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param.name; });

TEST(TfliteMalformed, TableHasAtLeastFortyBrokenFiles) {
  int broken = 0;
  for (const Case& c : Cases()) broken += c.expect == Expect::kError;
  EXPECT_GE(broken, 40);
}

}  // namespace
}  // namespace tops
