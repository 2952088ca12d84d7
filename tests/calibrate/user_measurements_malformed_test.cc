// The malformed-input table for a user's own measurements (tops/measurement.h): broken CSVs,
// truncated and timing-less trtexec and benchmark_model logs (cut from the real logs under
// tests/calibrate/logs), out-of-range figures, binary garbage and a 50 MB line. Each must give a
// tops::Error that names the file and the line (where a line is at fault) and contains the
// case's fragment, within 1 s; never a crash. With TOPS_WRITE_CORPUS=DIR set, every case under
// 100 KB is also written to DIR (how tests/fuzz/corpus_measurements/ got its hand-made seeds).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "io/measurement_text.h"
#include "tops/error.h"
#include "tops/measurement.h"

namespace tops {
namespace {

namespace fs = std::filesystem;

const std::string kLogs = std::string(TOPS_TEST_DIR) + "/calibrate/logs/";

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

// The real log up to (not including) the first occurrence of `marker`.
std::string CutBefore(const std::string& log, const std::string& marker) {
  const std::string s = Slurp(kLogs + log);
  return s.substr(0, s.find(marker));
}

// The real log up to `marker` and `keep` more bytes.
std::string CutInside(const std::string& log, const std::string& marker, size_t keep) {
  const std::string s = Slurp(kLogs + log);
  return s.substr(0, s.find(marker) + keep);
}

struct Case {
  std::string name;
  int line;  // the line the message must name ("t.csv:LINE: "); 0: the whole file ("t.csv: ")
  std::string fragment;
  std::function<std::string()> bytes;
};

const std::string kCsv = "model,latency_ms,fps,precision,batch,input,cores,power_w,id\n";
const std::string kTrt = "&&&& RUNNING TensorRT.trtexec [TensorRT v8600] # trtexec --onnx=a.onnx";
const std::string kTiming =
    "[I] GPU Compute Time: min = 1.2 ms, max = 2.5 ms, mean = 1.5 ms, median = 1.4 ms\n";

std::vector<Case> Table() {
  std::vector<Case> t;
  auto add = [&](std::string name, int line, std::string fragment, std::string bytes) {
    t.push_back({std::move(name), line, std::move(fragment), [b = std::move(bytes)] { return b; }});
  };
  auto add_fn = [&](std::string name, int line, std::string fragment,
                    std::function<std::string()> f) {
    t.push_back({std::move(name), line, std::move(fragment), std::move(f)});
  };

  // -- Not text, not a measurement file --
  add("empty", 0, "empty file", "");
  add("blank_lines", 0, "only blank lines", "\n \n\t\n");
  add("binary_nul", 1, "binary data",
      std::string("\x7f"
                  "ELF\x02\x01\x01\0\0\0",
                  10));
  add("binary_control", 2, "byte 0x01 at offset", "model,latency_ms\na.onnx,\x01\x02\n");
  add("invalid_utf8", 2, "is not UTF-8 text", "model,latency_ms\nr\xff\xfe.onnx,3\n");
  add("overlong_utf8", 1, "is not UTF-8 text", "model\xc0\xaf,latency_ms\n");
  add_fn("line_50mb", 1, "line longer than 1048576 bytes",
         [] { return std::string(50u << 20, 'a') + "\n"; });
  add_fn("two_million_lines", 0, "more than 1000000 lines",
         [] { return "model,latency_ms\n" + std::string(2000000, '\n'); });
  add("plain_text", 0, "not a measurement file", "hello world\nthis is a note\n");
  add("json", 1, "a CSV needs a header row", "{\"model\": \"a.onnx\", \"latency_ms\": 3}\n");

  // -- CSV --
  add("csv_without_header", 1, "a CSV needs a header row", "resnet18.onnx,4.2,int8\n");
  add("csv_header_only", 0, "a header but no rows", kCsv);
  add("csv_no_metric_column", 1, "names no 'latency_ms' or 'fps' column",
      "model,precision\na.onnx,int8\n");
  add("csv_unknown_column", 1, "unknown column 'latncy_ms'", "model,latncy_ms\na.onnx,3\n");
  add("csv_duplicate_column", 1, "column 'model' appears twice", "model,Model,fps\n");
  add("csv_too_few_fields", 2, "2 fields, the header (line 1) has 3",
      "model,latency_ms,precision\na.onnx,4.2\n");
  add("csv_unquoted_comma", 3, "4 fields, the header (line 1) has 3",
      "model,latency_ms,runtime\na.onnx,4,x\nb.onnx,4.2,TensorRT 8.6, CUDA graphs\n");
  add("csv_unclosed_quote", 2, "a quoted field opened on this line never closes",
      "model,latency_ms\n\"a.onnx,4.2\nb.onnx,3\n");
  add("csv_text_after_quote", 2, "text after the closing quote",
      "model,latency_ms\n\"a\"b.onnx,4.2\n");
  add("csv_quote_spanning_lines", 2, "field 1 spans lines", "model,latency_ms\n\"a\nb\",4\n");
  add("csv_empty_model", 2, "column 'model': empty", "model,latency_ms\n,4.2\n");
  add("csv_neither_latency_nor_fps", 2, "no latency_ms or fps", kCsv + "a.onnx,,,,,,,,\n");
  add("csv_both_latency_and_fps", 2, "both latency_ms and fps", kCsv + "a.onnx,4,250,,,,,,\n");
  add("csv_negative_latency", 2, "latency -4.5 ms is out of range", kCsv + "a.onnx,-4.5,,,,,,,\n");
  add("csv_zero_latency", 2, "latency 0 ms is out of range", kCsv + "a.onnx,0,,,,,,,\n");
  add("csv_nan_latency", 2, "'nan' is not a number", kCsv + "a.onnx,nan,,,,,,,\n");
  add("csv_inf_fps", 2, "'inf' is not a number", kCsv + "a.onnx,,inf,,,,,,\n");
  add("csv_huge_latency", 2, "latency 1e+300 ms is out of range", kCsv + "a.onnx,1e300,,,,,,,\n");
  add("csv_overflowing_latency", 2, "'1e999' is not a number", kCsv + "a.onnx,1e999,,,,,,,\n");
  add("csv_latency_with_unit", 2, "'4.2ms' is not a number", kCsv + "a.onnx,4.2ms,,,,,,,\n");
  add("csv_huge_fps", 2, "rate 100000000 fps is out of range", kCsv + "a.onnx,,1e8,,,,,,\n");
  add("csv_unknown_precision", 2, "unknown precision 'int3'", kCsv + "a.onnx,4,,int3,,,,,\n");
  add("csv_zero_batch", 2, "column 'batch': '0' must be a whole number",
      kCsv + "a.onnx,4,,,0,,,,\n");
  add("csv_huge_batch", 2, "column 'batch': '99999999999999999999'",
      kCsv + "a.onnx,4,,,99999999999999999999,,,,\n");
  add("csv_zero_dim", 2, "column 'input': shape '1x0x224x224'",
      kCsv + "a.onnx,4,,,,1x0x224x224,,,\n");
  add("csv_text_dims", 2, "shape 'axb'", kCsv + "a.onnx,4,,,,axb,,,\n");
  add("csv_rank_9", 2, "has more than 8 dims", kCsv + "a.onnx,4,,,,1x1x1x1x1x1x1x1x1,,,\n");
  add("csv_batch_disagrees_with_input", 2, "disagrees with the input's first dim 1",
      kCsv + "a.onnx,4,,,8,1x3x224x224,,,\n");
  add("csv_zero_cores", 2, "column 'cores': '0'", kCsv + "a.onnx,4,,,,,0,,\n");
  add("csv_negative_power", 2, "column 'power_w': '-5'", kCsv + "a.onnx,4,,,,,,-5,\n");
  add("csv_duplicate_id", 3, "id 'x' already used on line 2",
      kCsv +
          "a.onnx,4,,,,,,,x\n"
          "b.onnx,5,,,,,,,x\n");

  // -- trtexec --
  add_fn("trtexec_truncated", 1, "this trtexec run has no 'GPU Compute Time' summary",
         [] { return CutBefore("trtexec_8.6_resnet50_fp16_b128.log", "Starting inference"); });
  add_fn("trtexec_cut_inside_summary", 145, "has no 'mean ='", [] {
    return CutInside("trtexec_8.6_resnet50_fp16_b128.log", "GPU Compute Time: min", 40);
  });
  add_fn("trtexec_second_run_truncated", 95, "this trtexec run has no 'GPU Compute Time'", [] {
    return CutBefore("trtexec_7_caffe_resnet50_int8_batches.txt", "[01/12/2021-17:37:13] [I] GPU");
  });
  add_fn("trtexec_v7_block_without_mean", 168, "'GPU Compute' block without a 'mean:' line", [] {
    return CutBefore("trtexec_7_caffe_resnet50_int8_batches.txt",
                     "[01/12/2021-17:37:13] [I] mean: 199.649");
  });
  add("trtexec_skip_inference_only", 0, "every trtexec run in the log failed or skipped",
      kTrt + " --skipInference\n[I] === Model Options ===\n[I] Engine built in 3.2 sec.\n");
  add("trtexec_failed_only", 0, "every trtexec run in the log failed",
      kTrt + "\n[E] Error[4]: network has no inputs\n&&&& FAILED TensorRT.trtexec # x\n");
  add("trtexec_no_timing_at_all", 1, "this trtexec run has no 'GPU Compute Time' summary",
      "[I] === Model Options ===\n[I] Format: ONNX\n");
  add("trtexec_no_model", 1, "names no model", kTiming);
  add("trtexec_negative_mean", 2, "GPU Compute Time mean -1.5 ms is out of range",
      kTrt + "\n[I] GPU Compute Time: min = 1 ms, max = 2 ms, mean = -1.5 ms\n");
  add("trtexec_nan_mean", 2, "mean 'nan' is not a number",
      kTrt + "\n[I] GPU Compute Time: min = 1 ms, max = 2 ms, mean = nan ms\n");
  add("trtexec_huge_mean", 2, "GPU Compute Time mean 1000000000 ms is out of range",
      kTrt + "\n[I] GPU Compute Time: min = 1 ms, max = 2 ms, mean = 1e9 ms\n");
  add("trtexec_mean_not_in_ms", 2, "mean '1.5 us' is not in ms",
      kTrt + "\n[I] GPU Compute Time: min = 1 us, max = 2 us, mean = 1.5 us\n");
  add("trtexec_two_summaries_in_one_run", 3, "a second GPU Compute Time summary",
      kTrt + "\n" + kTiming + kTiming);
  add("trtexec_bad_shapes", 1, "--shapes: shape '8x3x0x224'",
      kTrt + " --shapes=input:8x3x0x224\n" + kTiming);
  add("trtexec_shapes_without_name", 1, "is not name:dims", kTrt + " --shapes=8x3\n" + kTiming);
  add("trtexec_zero_batch", 1, "batch '0' must be a whole number", kTrt + " --batch=0\n" + kTiming);

  // -- benchmark_model --
  add_fn("benchmark_truncated_in_warmup", 1, "this benchmark_model run has no timing", [] {
    return CutBefore("benchmark_model_imx_npu_mobilenet_v1_quant.log", "count=1 curr");
  });
  add_fn("benchmark_cut_inside_timing_line", 21, "without a number after 'Inference (avg):'", [] {
    return CutBefore("benchmark_model_imx_npu_mobilenet_v1_quant.log", "count=379") +
           "Inference timings in us: Init: 12434, First inference: 4625131, Warmup (avg): 4.6e6, "
           "Inference (av";
  });
  add("benchmark_no_model", 1, "names no model",
      "I tflite  : Inference timings in us: Init: 5685, First inference: 18535, Warmup (avg): "
      "14462.3, Inference (avg): 14575.2\n");
  add("benchmark_negative", 3, "average inference time -0.0146 ms is out of range",
      "STARTING!\nGraph: [a.tflite]\nInference timings in us: Init: 1, First inference: 2, "
      "Warmup (avg): 3, Inference (avg): -14.6\n");
  add("benchmark_nan", 3, "without a number after 'Inference (avg):'",
      "STARTING!\nGraph: [a.tflite]\nInference timings in us: Inference (avg): nan\n");
  add("benchmark_huge", 3, "average inference time 1e+12 ms is out of range",
      "STARTING!\nGraph: [a.tflite]\nInference timings in us: Inference (avg): 1e15\n");
  add("benchmark_failed_only", 0, "every benchmark_model run in the log failed",
      "INFO: STARTING!\nINFO: Graph: [a.tflite]\nERROR: Failed to allocate tensors!\n"
      "ERROR: Benchmarking failed.\n");
  add("benchmark_two_timings_in_one_run", 4, "a second 'Inference timings in us' line",
      "STARTING!\nGraph: [a.tflite]\nInference timings in us: Inference (avg): 10\n"
      "Inference timings in us: Inference (avg): 11\n");
  add("benchmark_bad_input_shape", 1, "Input shapes: shape '1x-224x224x3'",
      "STARTING!\nGraph: [a.tflite]\nInput shapes: [1,-224,224,3]\n"
      "Inference timings in us: Inference (avg): 10\n");
  return t;
}

TEST(UserMeasurementsMalformed, EveryCaseIsAClearErrorNamingFileAndLine) {
  const char* corpus = std::getenv("TOPS_WRITE_CORPUS");
  for (const Case& c : Table()) {
    const std::string bytes = c.bytes();
    if (corpus && bytes.size() < 100000) {
      std::ofstream(std::string(corpus) + "/" + c.name, std::ios::binary) << bytes;
    }
    const std::string file = "t.csv";
    const std::string where = c.line ? file + ":" + std::to_string(c.line) + ": " : file + ": ";
    const auto start = std::chrono::steady_clock::now();
    std::string message = "(no error)";
    try {
      io::ParseUserMeasurements(bytes, file, {});
    } catch (const Error& e) {
      message = e.what();
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(message.find(where), 0u) << c.name << ": " << message;
    EXPECT_NE(message.find(c.fragment), std::string::npos) << c.name << ": " << message;
    EXPECT_LT(seconds, 1.0) << c.name;
  }
}

// Through the file reader: what is wrong with the path itself.
TEST(UserMeasurementsMalformed, PathsThatAreNoMeasurementFile) {
  const fs::path dir = fs::temp_directory_path() / ("tops_um_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path big = dir / "big.log";
  { std::ofstream(big) << "x"; }
  fs::resize_file(big, (uint64_t{64} << 20) + 1);  // sparse: no 64 MiB written
  const std::vector<std::pair<std::string, std::string>> cases = {
      {(dir / "missing.csv").string(), "no such file"},
      {dir.string(), "is a directory"},
      {"/dev/null", "not a regular file"},
      {big.string(), "67108865 bytes; a measurement file is at most 64 MiB"},
  };
  for (const auto& [path, fragment] : cases) {
    try {
      ReadUserMeasurements(path);
      ADD_FAILURE() << path << ": no error";
    } catch (const Error& e) {
      const std::string m = e.what();
      EXPECT_EQ(m.find(path + ": "), 0u) << m;
      EXPECT_NE(m.find(fragment), std::string::npos) << m;
    }
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tops
