// A whole file mapped read-only into memory, unmapped on destruction. Readers walk the mapping;
// pages they never touch (weight payloads) are never read from disk.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tops::io {

class MappedFile {
 public:
  // Throws tops::Error naming the path: missing, unreadable, a directory, not a regular file.
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view bytes() const { return {data_ ? data_ : "", size_}; }

 private:
  int fd_ = -1;
  const char* data_ = nullptr;
  uint64_t size_ = 0;
};

}  // namespace tops::io
