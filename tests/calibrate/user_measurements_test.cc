// A user's own measurements (tops/measurement.h, ReadUserMeasurements) from the real trtexec and
// benchmark_model logs under tests/calibrate/logs (sources in logs/SOURCES.md) and the
// hand-written tests/calibrate/example_measurements.csv. Every expected figure was read from
// the log by eye; microseconds to milliseconds by hand (2525.59 us = 2.52559 ms).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "io/measurement_text.h"
#include "tops/error.h"
#include "tops/measurement.h"

namespace tops {
namespace {

const std::string kDir = std::string(TOPS_TEST_DIR) + "/calibrate/";
const std::string kLogs = kDir + "logs/";

std::vector<Measurement> Read(const std::string& name, const UserMeasurementOptions& o = {}) {
  return ReadUserMeasurements(kLogs + name, o);
}

// The message of the tops::Error that reading `text` (as file "t.log") throws.
std::string ErrorOf(const std::string& text, const UserMeasurementOptions& o = {}) {
  try {
    io::ParseUserMeasurements(text, "t.log", o);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

std::string Slurp(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  std::string s;
  char buf[65536];
  for (size_t n; f && (n = std::fread(buf, 1, sizeof buf, f)) > 0;) s.append(buf, n);
  if (f) std::fclose(f);
  return s;
}

TEST(UserMeasurements, TensorRT7LogOneRowPerRunFromTheGpuComputeBlock) {
  const std::string file = "trtexec_7_caffe_resnet50_int8_batches.txt";
  const auto rows = Read(file);
  // The seven runs' "GPU Compute" blocks: mean per run, batch from --batch=N.
  const std::vector<std::pair<double, int64_t>> want = {{55.2468, 1},  {199.649, 4},  {374.004, 8},
                                                        {715.215, 16}, {1362.41, 32}, {2584.38, 64},
                                                        {5157.54, 128}};
  const std::vector<int> lines = {90, 171, 250, 328, 405, 482, 559};
  ASSERT_EQ(rows.size(), want.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const Measurement& m = rows[i];
    EXPECT_DOUBLE_EQ(m.value, want[i].first) << i;
    EXPECT_EQ(m.batch, want[i].second) << i;
    EXPECT_EQ(m.id, kLogs + file + ":" + std::to_string(lines[i]));
    EXPECT_EQ(m.source, m.id + " (trtexec GPU Compute mean)");
    EXPECT_EQ(m.metric, MeasurementMetric::kLatencyMs);
    EXPECT_EQ(m.precision, Precision::kInt8);
    EXPECT_EQ(m.precision_published, "--int8");
    EXPECT_EQ(m.model, "resnet-50");
    // A Caffe prototxt is no model tops reads: no fixture, and the note says why.
    EXPECT_EQ(m.fixture, "");
    EXPECT_NE(m.fixture_note.find("'Models/resnet-50.prototxt'"), std::string::npos);
    EXPECT_EQ(m.runtime, "TensorRT");  // TensorRT 7 prints no version
    EXPECT_EQ(m.units, "gpu");
    EXPECT_EQ(m.origin, kLogs + file);
  }
  // 5157.54 ms for 128 images: 40.29 ms per image.
  EXPECT_NEAR(rows.back().MsPerImage(), 5157.54 / 128, 1e-12);
}

TEST(UserMeasurements, TensorRT86Fp16BatchFromTheInferenceShape) {
  const auto rows = Read("trtexec_8.6_resnet50_fp16_b128.log");
  ASSERT_EQ(rows.size(), 1u);
  const Measurement& m = rows[0];
  EXPECT_DOUBLE_EQ(m.value, 36.5705);
  EXPECT_EQ(m.batch, 128);
  EXPECT_EQ(m.input, (std::vector<int64_t>{128, 3, 224, 224}));
  EXPECT_EQ(m.precision, Precision::kFp16);
  EXPECT_EQ(m.precision_published, "--fp16");
  EXPECT_EQ(m.fixture, "resnet50_bs_dynamic.onnx");
  EXPECT_EQ(m.model, "resnet50_bs_dynamic");
  EXPECT_EQ(m.fixture_note, "");
  EXPECT_EQ(m.runtime, "TensorRT 8.6.0");
  EXPECT_EQ(m.id, kLogs + "trtexec_8.6_resnet50_fp16_b128.log:145");
  EXPECT_NE(m.source.find("GPU Compute Time mean"), std::string::npos);
  EXPECT_EQ(m.chip, "");
}

TEST(UserMeasurements, TensorRT86Int8CommandLineWithSpacesInTheExecutablePath) {
  const auto rows = Read("trtexec_8.6_resnet50_int8_b8.log");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(rows[0].value, 1.4561);
  EXPECT_EQ(rows[0].batch, 8);
  EXPECT_EQ(rows[0].precision, Precision::kInt8);
  EXPECT_EQ(rows[0].fixture, "resnet50_bs_dynamic.onnx");
  EXPECT_EQ(rows[0].id, kLogs + "trtexec_8.6_resnet50_int8_b8.log:281");
}

TEST(UserMeasurements, TensorRT10LoadedEngineNeedsTheModelAndPrecisionFromOptions) {
  const std::string file = "trtexec_10.16_load_engine_b4.log";
  auto rows = Read(file);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(rows[0].value, 0.0387646);
  EXPECT_EQ(rows[0].batch, 4);
  EXPECT_EQ(rows[0].input, (std::vector<int64_t>{4, 1, 28, 28}));
  EXPECT_EQ(rows[0].runtime, "TensorRT 10.16.1");
  EXPECT_EQ(rows[0].model, "model-trained");
  EXPECT_EQ(rows[0].fixture, "");
  EXPECT_NE(rows[0].fixture_note.find("'model-trained.trt'"), std::string::npos);
  // The log does not say the engine's precision.
  EXPECT_EQ(rows[0].precision, Precision::kInt8);
  EXPECT_EQ(rows[0].precision_published, kPrecisionNotInLog);

  UserMeasurementOptions o;
  o.model = "models/model-trained.onnx";
  o.precision = Precision::kFp16;
  o.chip = "nvidia_l4";
  rows = Read(file, o);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fixture, "models/model-trained.onnx");
  EXPECT_EQ(rows[0].model, "model-trained");
  EXPECT_EQ(rows[0].fixture_note, "");
  EXPECT_EQ(rows[0].precision, Precision::kFp16);
  EXPECT_EQ(rows[0].precision_published, "fp16 (given; not in the log)");
  EXPECT_EQ(rows[0].chip, "nvidia_l4");
}

TEST(UserMeasurements, TrtexecLogPrecisionWinsOverTheOption) {
  UserMeasurementOptions o;
  o.precision = Precision::kFp32;
  const auto rows = Read("trtexec_8.6_resnet50_int8_b8.log", o);
  EXPECT_EQ(rows[0].precision, Precision::kInt8);
  EXPECT_EQ(rows[0].precision_published, "--int8");
}

TEST(UserMeasurements, TrtexecPrecisionLineWhenTheCommandLineIsMissing) {
  // The int8 log without its "&&&& RUNNING" and "&&&& PASSED" lines, which hold the command
  // line: the build options' "Precision: FP32+INT8" says int8, "Model:" names the model.
  std::string log = Slurp(kLogs + "trtexec_8.6_resnet50_int8_b8.log");
  log = log.substr(log.find('\n') + 1);
  log = log.substr(0, log.find("&&&& PASSED"));
  const auto rows = io::ParseUserMeasurements(log, "pasted.log", {});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].precision, Precision::kInt8);
  EXPECT_EQ(rows[0].precision_published, "Precision: FP32+INT8");
  EXPECT_EQ(rows[0].fixture, "resnet50_bs_dynamic.onnx");
  EXPECT_EQ(rows[0].batch, 8);
  EXPECT_EQ(rows[0].runtime, "TensorRT 8.6.0");
  EXPECT_EQ(rows[0].id, "pasted.log:280");
}

TEST(UserMeasurements, TrtexecFlagsVersionTagAndLoadedEngines) {
  const std::string timing = "[I] GPU Compute Time: min = 1 ms, max = 2 ms, mean = 1.25 ms\n";
  // --best is int8; the version from the tag when no "TensorRT version:" line (v8401: 8.4.1).
  auto rows = io::ParseUserMeasurements(
      "&&&& RUNNING TensorRT.trtexec [TensorRT v8401] # trtexec --onnx=a.onnx --best "
      "--shapes=x:2x3x8x8\n" +
          timing,
      "best.log", {});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].precision, Precision::kInt8);
  EXPECT_EQ(rows[0].precision_published, "--best");
  EXPECT_EQ(rows[0].runtime, "TensorRT 8.4.1");
  EXPECT_EQ(rows[0].batch, 2);
  EXPECT_EQ(rows[0].input, (std::vector<int64_t>{2, 3, 8, 8}));
  EXPECT_DOUBLE_EQ(rows[0].MsPerImage(), 0.625);
  // An engine loaded with --fp16: the flag is taken, and said to be the user's.
  rows = io::ParseUserMeasurements(
      "&&&& RUNNING TensorRT.trtexec [TensorRT v8001] # trtexec --loadEngine=b.engine --fp16 "
      "--batch=4 --useDLACore=0 --allowGPUFallback\n" +
          timing,
      "engine.log", {});
  EXPECT_EQ(rows[0].precision, Precision::kFp16);
  EXPECT_EQ(rows[0].precision_published, "--fp16 (given with --loadEngine: not the engine's own)");
  EXPECT_EQ(rows[0].runtime, "TensorRT 8.0.1");
  EXPECT_EQ(rows[0].batch, 4);
  EXPECT_EQ(rows[0].units, "gpu+dla");
  EXPECT_EQ(rows[0].model, "b");
  // An engine without flags: trtexec's printed default "Precision: FP32" is not the engine's.
  rows = io::ParseUserMeasurements(
      "&&&& RUNNING TensorRT.trtexec [TensorRT v8401] # trtexec --loadEngine=c.plan\n"
      "[I] Precision: FP32\n" +
          timing,
      "plan.log", {});
  EXPECT_EQ(rows[0].precision_published, kPrecisionNotInLog);
}

TEST(UserMeasurements, BenchmarkModelExternalDelegate) {
  const std::string file = "benchmark_model_imx_npu_mobilenet_v1_quant.log";
  const auto rows = Read(file);
  ASSERT_EQ(rows.size(), 1u);
  const Measurement& m = rows[0];
  EXPECT_DOUBLE_EQ(m.value, 2.52559);  // Inference (avg): 2525.59 us
  EXPECT_EQ(m.fixture, "mobilenet_v1_1.0_224_quant/mobilenet_v1_1.0_224_quant.tflite");
  EXPECT_EQ(m.model, "mobilenet_v1_1.0_224_quant");
  EXPECT_EQ(m.runtime, "TFLite benchmark_model, external delegate /usr/lib/libvx_delegate.so");
  EXPECT_EQ(m.units, "");
  EXPECT_EQ(m.batch, 1);
  EXPECT_EQ(m.precision, Precision::kInt8);
  EXPECT_EQ(m.precision_published, kPrecisionNotInLog);
  EXPECT_EQ(m.id, kLogs + file + ":23");
  EXPECT_EQ(m.source, m.id + " (benchmark_model Inference (avg), us)");
}

TEST(UserMeasurements, BenchmarkModelCpuAverageInExponentForm) {
  const auto rows = Read("benchmark_model_imx_cpu_deeplabv3.log");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(rows[0].value, 1050.37);  // 1.05037e+06 us
  EXPECT_EQ(rows[0].model, "lite-model_deeplabv3-mobilenetv2_dm05-float16_1_default_2");
  EXPECT_EQ(rows[0].runtime, "TFLite benchmark_model, CPU");
  EXPECT_EQ(rows[0].units, "cpu");
}

TEST(UserMeasurements, BenchmarkModel215NnapiWithPrefixesAndIndentation) {
  UserMeasurementOptions o;
  o.chip = "synaptics_vs680";
  o.precision = Precision::kInt8;
  const auto rows = Read("benchmark_model_2.15_nnapi_synap.txt", o);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(rows[0].value, 1.88574);  // 1885.74 us
  EXPECT_EQ(rows[0].fixture, "/data/local/tmp/mobilenet_v1_0.25_224_quant.tflite");
  EXPECT_EQ(rows[0].runtime, "TFLite benchmark_model 2.15.0, NNAPI delegate (synap-npu)");
  EXPECT_EQ(rows[0].chip, "synaptics_vs680");
  EXPECT_EQ(rows[0].precision_published, "int8 (given; not in the log)");
  EXPECT_EQ(rows[0].id, kLogs + "benchmark_model_2.15_nnapi_synap.txt:25");
}

TEST(UserMeasurements, ModelOptionOverridesTheLogsModel) {
  UserMeasurementOptions o;
  o.model = "local/mobilenet_v1.tflite";
  const auto rows = Read("benchmark_model_2.15_nnapi_synap.txt", o);
  EXPECT_EQ(rows[0].fixture, "local/mobilenet_v1.tflite");
  EXPECT_EQ(rows[0].model, "mobilenet_v1");
}

TEST(UserMeasurements, BenchmarkModelCutBeforeTheSummaryUsesTheTimedRunsAvg) {
  // The NPU log up to (not including) its "Inference timings in us" line (line 23): the timed
  // runs' "count=379 ... avg=2525.59" (line 21) is the figure.
  std::string log = Slurp(kLogs + "benchmark_model_imx_npu_mobilenet_v1_quant.log");
  log = log.substr(0, log.find("Inference timings in us"));
  const auto rows = io::ParseUserMeasurements(log, "cut.log", {});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(rows[0].value, 2.52559);
  EXPECT_EQ(rows[0].id, "cut.log:21");
  EXPECT_EQ(rows[0].source, "cut.log:21 (benchmark_model avg= of the timed runs, us)");
  // Cut before the timed runs' line: only the warm-up's count= is left, which is no figure.
  log = log.substr(0, log.find("count=379"));
  EXPECT_NE(ErrorOf(log).find("t.log:1: this benchmark_model run has no timing"), std::string::npos)
      << ErrorOf(log);
}

TEST(UserMeasurements, FailedRunsGiveNoRowTheOthersDo) {
  // Two benchmark_model runs in one terminal capture, the first failed (as benchmark_model
  // prints it when the model cannot be prepared).
  const std::string npu = Slurp(kLogs + "benchmark_model_imx_npu_mobilenet_v1_quant.log");
  const std::string failed =
      "$ ./benchmark_model --graph=m_int8.tflite\nINFO: STARTING!\nINFO: Graph: [m_int8.tflite]\n"
      "ERROR: Node number 57 (BATCH_MATMUL) failed to prepare.\nERROR: Failed to allocate "
      "tensors!\nERROR: Benchmarking failed.\n";
  auto rows = io::ParseUserMeasurements(failed + npu, "two.log", {});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].model, "mobilenet_v1_1.0_224_quant");
  EXPECT_EQ(rows[0].id, "two.log:29");  // 6 lines before the NPU log's line 23
  EXPECT_NE(ErrorOf(failed).find("every benchmark_model run in the log failed"), std::string::npos);
  // trtexec: a FAILED run and a timed one.
  const std::string trt = Slurp(kLogs + "trtexec_8.6_resnet50_int8_b8.log");
  const std::string trt_failed =
      "&&&& RUNNING TensorRT.trtexec [TensorRT v8600] # trtexec --onnx=a.onnx --int8\n"
      "[08/20/2023-11:13:10] [E] Engine could not be created from network\n"
      "&&&& FAILED TensorRT.trtexec [TensorRT v8600] # trtexec --onnx=a.onnx --int8\n";
  rows = io::ParseUserMeasurements(trt_failed + trt, "trt.log", {});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].id, "trt.log:284");
  EXPECT_DOUBLE_EQ(rows[0].value, 1.4561);
}

TEST(UserMeasurements, CsvExample) {
  const std::string file = kDir + "example_measurements.csv";
  UserMeasurementOptions o;
  o.chip = "jetson_agx_orin_64gb";
  o.precision = Precision::kFp16;
  o.model = "ignored.onnx";  // a CSV names its own models
  const auto rows = ReadUserMeasurements(file, o);
  ASSERT_EQ(rows.size(), 4u);

  EXPECT_EQ(rows[0].id, file + ":4");
  EXPECT_EQ(rows[0].source, file + ":4");
  EXPECT_EQ(rows[0].fixture, "../models/resnet18.onnx");
  EXPECT_EQ(rows[0].model, "resnet18");
  EXPECT_EQ(rows[0].metric, MeasurementMetric::kLatencyMs);
  EXPECT_DOUBLE_EQ(rows[0].value, 4.25);
  EXPECT_EQ(rows[0].precision, Precision::kInt8);
  EXPECT_EQ(rows[0].precision_published, "int8");
  EXPECT_EQ(rows[0].chip, "jetson_orin_nano_8gb");
  EXPECT_EQ(rows[0].runtime, "TensorRT 8.6, trtexec --useCudaGraph");  // quoted, with a comma
  EXPECT_EQ(rows[0].batch, 1);
  EXPECT_EQ(rows[0].input, (std::vector<int64_t>{1, 3, 224, 224}));
  EXPECT_EQ(rows[0].power_mode_w, 15.0);
  EXPECT_FALSE(rows[0].cores.has_value());

  EXPECT_EQ(rows[1].id, "rk3588-mbv2");
  EXPECT_EQ(rows[1].metric, MeasurementMetric::kFps);
  EXPECT_DOUBLE_EQ(rows[1].value, 812.5);
  EXPECT_DOUBLE_EQ(rows[1].MsPerImage(), 1000.0 / 812.5);
  EXPECT_EQ(rows[1].precision, Precision::kFp16);
  EXPECT_EQ(rows[1].runtime, "RKNN Toolkit 2.3.2, \"single core\"");  // "" inside quotes
  EXPECT_EQ(rows[1].cores, 1);

  // Line 8 says neither chip nor precision: the options fill both. Batch 8 from its column.
  EXPECT_EQ(rows[2].id, file + ":8");
  EXPECT_EQ(rows[2].fixture, "../models/resnet50.onnx");
  EXPECT_EQ(rows[2].chip, "jetson_agx_orin_64gb");
  EXPECT_EQ(rows[2].precision, Precision::kFp16);
  EXPECT_EQ(rows[2].precision_published, "fp16 (given; not in the log)");
  EXPECT_EQ(rows[2].batch, 8);
  EXPECT_DOUBLE_EQ(rows[2].MsPerImage(), 19.5 / 8);

  EXPECT_EQ(rows[3].precision, Precision::kInt8);
  EXPECT_TRUE(rows[3].activations_16bit);
  EXPECT_EQ(rows[3].precision_published, "w8a16");
  EXPECT_EQ(rows[3].cores, 3);

  // Without options: the row that says no precision keeps int8, marked unknown; no chip.
  const auto bare = ReadUserMeasurements(file);
  EXPECT_EQ(bare[2].precision, Precision::kInt8);
  EXPECT_EQ(bare[2].precision_published, kPrecisionNotInLog);
  EXPECT_EQ(bare[2].chip, "");
}

TEST(UserMeasurements, CsvMissingOptionalColumnsAndCrLf) {
  const auto rows = io::ParseUserMeasurements(
      "\xEF\xBB\xBFModel,FPS\r\nyolo.onnx,30\r\n\"a, b.tflite\",\"12.5\"\r\n", "x.csv", {});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].model, "yolo");
  EXPECT_EQ(rows[0].metric, MeasurementMetric::kFps);
  EXPECT_DOUBLE_EQ(rows[0].value, 30);
  EXPECT_EQ(rows[0].batch, 1);
  EXPECT_TRUE(rows[0].input.empty());
  EXPECT_EQ(rows[1].fixture, "a, b.tflite");
  EXPECT_EQ(rows[1].model, "a, b");
  EXPECT_EQ(rows[1].id, "x.csv:3");
}

TEST(UserMeasurements, CsvBadNumbersNameLineAndColumn) {
  const std::string head = "model,latency_ms,batch\n";
  EXPECT_EQ(ErrorOf(head + "a.onnx,4.2,2\nb.onnx,fast,1\n"),
            "t.log:3: column 'latency_ms': 'fast' is not a number");
  EXPECT_EQ(ErrorOf(head + "a.onnx,1e400,1\n"),
            "t.log:2: column 'latency_ms': '1e400' is not a number");
  EXPECT_EQ(ErrorOf(head + "a.onnx,-3,1\n"),
            "t.log:2: column 'latency_ms': latency -3 ms is out of range: it must be above 0 and "
            "at most 1000000 ms");
  EXPECT_EQ(ErrorOf(head + "a.onnx,3,2.5\n"),
            "t.log:2: column 'batch': '2.5' must be a whole number from 1 to 1048576");
}

TEST(UserMeasurements, ErrorsNameTheFileAsGiven) {
  try {
    ReadUserMeasurements(kDir + "no_such_file.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find(kDir + "no_such_file.csv: no such file"), 0u);
  }
}

}  // namespace
}  // namespace tops
