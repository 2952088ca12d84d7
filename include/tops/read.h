// Reading a model file: the one entry point for every format. ReadModel looks at the content,
// never the extension, and hands the bytes to the first reader whose probe accepts them; the
// result is the format-neutral IR of tops/graph.h. Built-in readers live in src/io (one file per
// format); RegisterModelFormat adds one at run time (tests, embedders), ahead of the built-ins.
// A reader takes the whole file's bytes, or reads only what it needs through a ByteSource.
// Errors are tops::Error naming the file and, where it applies, the byte offset.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tops/graph.h"

namespace tops {

// Random access to a model's bytes without holding them all: a file read with pread(2), or bytes
// already in memory. A reader that needs only part of a large file (the ONNX reader reads
// metadata and steps over weight payloads) reads through this, so the payloads' pages are never
// brought into memory.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual uint64_t size() const = 0;
  // Copies up to n bytes at `offset` into buf and returns how many (fewer only at the end).
  // Throws tops::Error naming the file when the read fails.
  virtual size_t ReadAt(uint64_t offset, char* buf, size_t n) const = 0;
  // All the bytes when they are in memory already (ReadModelBytes), else nullopt.
  virtual std::optional<std::string_view> in_memory() const { return std::nullopt; }
};

struct ModelFormat {
  std::string name;         // "onnx": also what Model::format says
  std::string description;  // "ONNX ModelProto (protobuf)", for messages and --help
  // Is this the format? Sees at most the first kProbeBytes bytes; must be cheap and not throw.
  std::function<bool(std::string_view head)> probe;
  // Reads the whole file's bytes; `label` names it in errors (usually the path).
  std::function<Model(std::string_view bytes, const std::string& label)> read;
  // Optional, instead of or beside `read`: reads through a ByteSource. ReadModel(path) prefers
  // it and then never maps or reads the whole file; ReadModelBytes wraps its bytes in one when
  // `read` is not set.
  std::function<Model(const ByteSource& source, const std::string& label)> read_source;
};

inline constexpr size_t kProbeBytes = 64;

// Built-in formats, then registered ones, in probe order (registered first).
std::vector<ModelFormat> ModelFormats();
void RegisterModelFormat(ModelFormat format);

// Reads the file: through pread windows for formats with `read_source` (only the bytes the
// reader asks for are read; weight payloads are stepped over), else by mapping it.
Model ReadModel(const std::string& path);
Model ReadModelBytes(std::string_view bytes, const std::string& label = "<memory>");

}  // namespace tops
