// The format list and ReadModel. A new format is one reader file in src/io plus one entry in
// BuiltinFormats(); probes go from the most specific (a file identifier) to the least (ONNX's
// first protobuf tag), so a weak probe never shadows a strong one.
#include <mutex>

#include "io/file_source.h"
#include "io/hf_config_reader.h"
#include "io/onnx_reader.h"
#include "io/tflite_reader.h"
#include "tops/error.h"
#include "tops/read.h"

namespace tops {
namespace {

std::string HexByte(uint8_t b) {
  const char* digits = "0123456789abcdef";
  return {digits[b >> 4], digits[b & 15]};
}

const std::vector<ModelFormat>& BuiltinFormats() {
  static const std::vector<ModelFormat> kFormats = {
      {"hf-config", "Hugging Face config.json of a decoder (JSON object)", LooksLikeHfConfig,
       ReadHfConfigBytes},
      {"tflite", "TensorFlow Lite FlatBuffer (identifier TFL3)", io::LooksLikeTflite,
       io::ReadTfliteBytes},
      {"onnx", "ONNX ModelProto (protobuf)", io::LooksLikeOnnx, nullptr, io::ReadOnnx},
  };
  return kFormats;
}

std::mutex& RegistryMutex() {
  static std::mutex m;
  return m;
}

std::vector<ModelFormat>& Registered() {
  static std::vector<ModelFormat> v;
  return v;
}

}  // namespace

std::vector<ModelFormat> ModelFormats() {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  std::vector<ModelFormat> all = Registered();
  const auto& builtin = BuiltinFormats();
  all.insert(all.end(), builtin.begin(), builtin.end());
  return all;
}

void RegisterModelFormat(ModelFormat format) {
  if (format.name.empty() || !format.probe || (!format.read && !format.read_source)) {
    throw Error("RegisterModelFormat: a format needs a name, a probe and a reader");
  }
  std::lock_guard<std::mutex> lock(RegistryMutex());
  Registered().insert(Registered().begin(), std::move(format));
}

namespace {

// The first format whose probe accepts `head`; throws naming the formats tried.
ModelFormat FormatOf(std::string_view head, const std::string& label) {
  head = head.substr(0, kProbeBytes);
  const std::vector<ModelFormat> formats = ModelFormats();
  for (const ModelFormat& f : formats) {
    if (f.probe(head)) return f;
  }
  std::string names;
  for (const ModelFormat& f : formats) names += (names.empty() ? "" : ", ") + f.description;
  throw Error(label + ": not a model tops can read (first byte 0x" +
              HexByte(static_cast<uint8_t>(head[0])) + " starts none of: " + names + ")");
}

Model Finish(Model m, const ModelFormat& f, const std::string& label, uint64_t size) {
  m.format = f.name;
  m.path = label;
  m.file_bytes = size;
  return m;
}

}  // namespace

Model ReadModelBytes(std::string_view bytes, const std::string& label) {
  if (bytes.empty()) throw Error(label + ": empty file, not a model");
  const ModelFormat f = FormatOf(bytes, label);
  if (f.read) return Finish(f.read(bytes, label), f, label, bytes.size());
  const io::MemorySource source(bytes);
  return Finish(f.read_source(source, label), f, label, bytes.size());
}

Model ReadModel(const std::string& path) {
  io::FileSource file(path);
  if (file.size() == 0) throw Error(path + ": empty file, not a model");
  char head[kProbeBytes];
  const size_t n = file.ReadAt(0, head, sizeof(head));
  const ModelFormat f = FormatOf(std::string_view(head, n), path);
  if (f.read_source) return Finish(f.read_source(file, path), f, path, file.size());
  return Finish(f.read(file.Map(), path), f, path, file.size());
}

}  // namespace tops
