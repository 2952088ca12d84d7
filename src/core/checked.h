// Checked int64 arithmetic: every size or count derived from a file goes through these, so a
// hostile dim turns into a tops::Error instead of an overflow.
#pragma once

#include <cstdint>
#include <string>

#include "tops/error.h"

namespace tops {

inline int64_t CheckedMul(int64_t a, int64_t b, const char* what = "value") {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) {
    throw Error(std::string(what) + " overflows 64-bit integer (" + std::to_string(a) + " * " +
                std::to_string(b) + ")");
  }
  return r;
}

inline int64_t CheckedAdd(int64_t a, int64_t b, const char* what = "value") {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) {
    throw Error(std::string(what) + " overflows 64-bit integer (" + std::to_string(a) + " + " +
                std::to_string(b) + ")");
  }
  return r;
}

}  // namespace tops
