// The buffer every writer appends to: text goes to the stream in large pieces as it is produced
// (a few hundred bytes per row, flushed every 64 KiB), never as one document held whole.
#pragma once

#include <ostream>
#include <string>

namespace tops::report {

class Out {
 public:
  explicit Out(std::ostream& os) : os_(os) { text.reserve(kChunk + 4096); }
  ~Out() { Flush(); }
  Out(const Out&) = delete;
  Out& operator=(const Out&) = delete;

  // Appended to directly; Pace() after each row keeps it small.
  std::string text;

  void Pace() {
    if (text.size() >= kChunk) Flush();
  }
  void Flush() {
    os_.write(text.data(), static_cast<std::streamsize>(text.size()));
    text.clear();
  }

 private:
  static constexpr size_t kChunk = 64 * 1024;
  std::ostream& os_;
};

}  // namespace tops::report
