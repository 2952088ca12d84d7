#include "io/protobuf_wire.h"

#include <algorithm>

namespace tops::io {

SourceStream::SourceStream(const ByteSource& source)
    : source_(source), memory_(source.in_memory()), size_(source.size()) {}

bool SourceStream::Next(const void** data, int* size) {
  if (pos_ >= size_) return false;
  if (memory_) {
    const uint64_t n = std::min<uint64_t>(size_ - pos_, INT_MAX);
    *data = memory_->data() + pos_;
    *size = static_cast<int>(n);
    pos_ += n;
    return true;
  }
  // Bytes of the last window not handed out yet (after a BackUp) are served again.
  if (pos_ < buffer_at_ || pos_ >= buffer_at_ + buffer_.size()) {
    const uint64_t want = window_ == 0 ? kFirstWindow : window_;
    uint64_t end = (pos_ + want + kPage - 1) / kPage * kPage;  // to the end of a page
    end = std::min(end, size_);
    buffer_.resize(static_cast<size_t>(end - pos_));
    const size_t got = source_.ReadAt(pos_, buffer_.data(), buffer_.size());
    buffer_.resize(got);
    buffer_at_ = pos_;
    if (got == 0) return false;
    window_ = window_ == 0 ? kPage : std::min(window_ * 2, kMaxWindow);
  }
  const uint64_t off = pos_ - buffer_at_;
  *data = buffer_.data() + off;
  *size = static_cast<int>(buffer_.size() - off);
  pos_ = buffer_at_ + buffer_.size();
  return true;
}

void SourceStream::BackUp(int count) { pos_ -= static_cast<uint64_t>(count); }

bool SourceStream::Skip(int count) {
  if (count < 0) return false;
  const uint64_t to = pos_ + static_cast<uint64_t>(count);
  if (to > buffer_at_ + buffer_.size()) window_ = 0;  // a jump past what was read: start small
  pos_ = std::min(to, size_);
  return to <= size_;
}

}  // namespace tops::io
