#include "io/file_source.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "tops/error.h"

namespace tops::io {

FileSource::FileSource(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw Error(path + ": cannot open: " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd_, &st) != 0) {
    const int err = errno;
    ::close(fd_);
    throw Error(path + ": cannot stat: " + std::strerror(err));
  }
  if (S_ISDIR(st.st_mode) || !S_ISREG(st.st_mode)) {
    ::close(fd_);
    throw Error(path + (S_ISDIR(st.st_mode) ? ": is a directory, not a model file"
                                            : ": not a regular file"));
  }
  size_ = static_cast<uint64_t>(st.st_size);
  // Only the windows a reader asks for: no readahead around them. Advice only; a file system
  // that ignores it still reads correctly.
  (void)::posix_fadvise(fd_, 0, 0, POSIX_FADV_RANDOM);
}

FileSource::~FileSource() {
  if (map_) ::munmap(const_cast<char*>(map_), size_);
  if (fd_ >= 0) ::close(fd_);
}

size_t FileSource::ReadAt(uint64_t offset, char* buf, size_t n) const {
  size_t done = 0;
  while (done < n && offset + done < size_) {
    const ssize_t r = ::pread(fd_, buf + done, n - done, static_cast<off_t>(offset + done));
    if (r < 0) {
      if (errno == EINTR) continue;
      throw Error(path_ + ": read failed at byte " + std::to_string(offset + done) + ": " +
                  std::strerror(errno));
    }
    if (r == 0) break;  // the file shrank while being read
    done += static_cast<size_t>(r);
  }
  return done;
}

std::string_view FileSource::Map() {
  if (size_ == 0) return {};
  if (!map_) {
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (p == MAP_FAILED) throw Error(path_ + ": cannot map: " + std::strerror(errno));
    map_ = static_cast<const char*>(p);
    // A fault reads the page it touches and nothing around it: without this the kernel's
    // mmap read-around pulls in a window of weights around every table a reader visits
    // (a fifth of a 58 MB .tflite on a cold run). Advice only, as posix_fadvise above.
    (void)::madvise(p, size_, MADV_RANDOM);
  }
  return {map_, size_};
}

size_t MemorySource::ReadAt(uint64_t offset, char* buf, size_t n) const {
  if (offset >= bytes_.size()) return 0;
  const size_t k = std::min<size_t>(n, bytes_.size() - offset);
  std::memcpy(buf, bytes_.data() + offset, k);
  return k;
}

}  // namespace tops::io
