// Shared by the TFLite tests: the fixtures of tests/models/tflite/ (make_tflite.py) and their
// executed references (ref/*.runtime.json, run_reference.js).
#pragma once

#include <string>

#include "../malformed/run_cli.h"  // Slurp
#include "tops/graph.h"
#include "tops/read.h"

namespace tops::testing {

inline const std::string kTfliteDir = std::string(TOPS_TEST_DIR) + "/models/tflite/";

inline std::string TfliteBytes(const std::string& model) {
  return Slurp(kTfliteDir + model + ".tflite");
}

// Through ReadModel, which recognises the format from the content.
inline Model ReadTflite(const std::string& model) {
  return ReadModel(kTfliteDir + model + ".tflite");
}

}  // namespace tops::testing
