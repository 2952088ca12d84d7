// A model's bytes as a ByteSource (tops/read.h). FileSource opens a file, checks it is a regular
// file and reads it with pread(2) in exactly the windows a reader asks for: posix_fadvise RANDOM
// turns the kernel's readahead off, so pages nobody asked for (weight payloads) are never read
// from disk nor kept in memory. Readers that walk the bytes in place (TFLite) get a read-only
// mapping instead, advised MADV_RANDOM so that a fault reads only the page it touches.
// MemorySource wraps bytes already in memory (ReadModelBytes).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tops/read.h"

namespace tops::io {

class FileSource : public ByteSource {
 public:
  // Throws tops::Error naming the path: missing, unreadable, a directory, not a regular file.
  explicit FileSource(const std::string& path);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  uint64_t size() const override { return size_; }
  size_t ReadAt(uint64_t offset, char* buf, size_t n) const override;
  // The whole file mapped read-only, for formats that read all the bytes; valid while this
  // object lives.
  std::string_view Map();

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
  const char* map_ = nullptr;
};

class MemorySource : public ByteSource {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  size_t ReadAt(uint64_t offset, char* buf, size_t n) const override;
  std::optional<std::string_view> in_memory() const override { return bytes_; }

 private:
  std::string_view bytes_;
};

}  // namespace tops::io
