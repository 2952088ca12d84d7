// tops::Error is the one exception type the library throws. The CLI maps it to exit code 2
// ("bad input"); every message names what is wrong and, where it applies, the byte offset,
// the node or the file.
#pragma once

#include <stdexcept>
#include <string>

namespace tops {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace tops
