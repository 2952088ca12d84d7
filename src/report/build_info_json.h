// The "tops" object every JSON output carries beside "schema_version": which build and which
// chip catalog produced the numbers (tops/version.h).
#pragma once

#include "tops/version.h"

namespace tops {

// Templated so that nlohmann::json and nlohmann::ordered_json writers both use it.
template <typename Json>
Json BuildInfoJson() {
  const BuildInfo& b = GetBuildInfo();
  Json j = Json::object();
  j["version"] = b.version;
  j["catalog"] = b.catalog;
  j["revision"] = b.revision;
  return j;
}

}  // namespace tops
