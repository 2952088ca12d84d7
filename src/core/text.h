// Small text helpers shared by the readers, the catalog and the analyses.
#pragma once

#include <string>
#include <string_view>

namespace tops {

// ASCII lower case (names, units, precisions, file extensions); bytes >= 0x80 are left alone.
inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace tops
