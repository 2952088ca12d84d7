// JSON text for every writer: two-space indent, and bytes that are not valid UTF-8 (node names
// come from untrusted files) replaced instead of throwing.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace tops {

// Templated so nlohmann::ordered_json keeps its key order (no conversion to sorted json).
template <typename Json>
std::string JsonText(const Json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace tops
