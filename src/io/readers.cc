// The format list and ReadModel. A new format is one reader file in src/io plus one entry in
// BuiltinFormats(); probes go from the most specific (a file identifier) to the least (ONNX's
// first protobuf tag), so a weak probe never shadows a strong one.
#include <mutex>

#include "io/hf_config_reader.h"
#include "io/mapped_file.h"
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
      {"onnx", "ONNX ModelProto (protobuf)", io::LooksLikeOnnx, io::ReadOnnxBytes},
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
  if (format.name.empty() || !format.probe || !format.read) {
    throw Error("RegisterModelFormat: a format needs a name, a probe and a reader");
  }
  std::lock_guard<std::mutex> lock(RegistryMutex());
  Registered().insert(Registered().begin(), std::move(format));
}

Model ReadModelBytes(std::string_view bytes, const std::string& label) {
  if (bytes.empty()) throw Error(label + ": empty file, not a model");
  const std::string_view head = bytes.substr(0, kProbeBytes);
  const std::vector<ModelFormat> formats = ModelFormats();
  for (const ModelFormat& f : formats) {
    if (!f.probe(head)) continue;
    Model m = f.read(bytes, label);
    m.format = f.name;
    m.path = label;
    m.file_bytes = bytes.size();
    return m;
  }
  std::string names;
  for (const ModelFormat& f : formats) names += (names.empty() ? "" : ", ") + f.description;
  throw Error(label + ": not a model tops can read (first byte 0x" +
              HexByte(static_cast<uint8_t>(bytes[0])) + " starts none of: " + names + ")");
}

Model ReadModel(const std::string& path) {
  io::MappedFile file(path);
  return ReadModelBytes(file.bytes(), path);
}

}  // namespace tops
