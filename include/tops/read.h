// Reading a model file: the one entry point for every format. ReadModel looks at the content,
// never the extension, and hands the bytes to the first reader whose probe accepts them; the
// result is the format-neutral IR of tops/graph.h. Built-in readers live in src/io (one file per
// format); RegisterModelFormat adds one at run time (tests, embedders), ahead of the built-ins.
// Errors are tops::Error naming the file and, where it applies, the byte offset.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tops/graph.h"

namespace tops {

struct ModelFormat {
  std::string name;         // "onnx": also what Model::format says
  std::string description;  // "ONNX ModelProto (protobuf)", for messages and --help
  // Is this the format? Sees at most the first kProbeBytes bytes; must be cheap and not throw.
  std::function<bool(std::string_view head)> probe;
  // Reads the whole file's bytes; `label` names it in errors (usually the path).
  std::function<Model(std::string_view bytes, const std::string& label)> read;
};

inline constexpr size_t kProbeBytes = 64;

// Built-in formats, then registered ones, in probe order (registered first).
std::vector<ModelFormat> ModelFormats();
void RegisterModelFormat(ModelFormat format);

// Maps the file (weights are never paged in by the readers) and reads it.
Model ReadModel(const std::string& path);
Model ReadModelBytes(std::string_view bytes, const std::string& label = "<memory>");

}  // namespace tops
