// Shared by the TFLite tests: the fixtures of tests/models/tflite/ (make_tflite.py) and their
// executed references (ref/*.runtime.json, run_reference.js).
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "io/tflite_reader.h"
#include "tops/graph.h"

namespace tops::testing {

inline const std::string kTfliteDir = std::string(TOPS_TEST_DIR) + "/models/tflite/";

inline std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline std::string TfliteBytes(const std::string& model) {
  return Slurp(kTfliteDir + model + ".tflite");
}

inline Model ReadTflite(const std::string& model) {
  return io::ReadTfliteBytes(TfliteBytes(model), model + ".tflite");
}

}  // namespace tops::testing
