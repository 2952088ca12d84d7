// Build identity: which tops this is, which chip catalog it carries and which source revision it
// was built from. `tops --version` prints it and every JSON output carries it (a "tops" object
// beside "schema_version"), so a number in a saved report can be traced to the build and catalog
// that produced it. The values are fixed at build time (cmake/version.cmake).
#pragma once

#include <string>

namespace tops {

struct BuildInfo {
  std::string version;    // project version, "0.1.0"
  std::string catalog;    // "sha256:" + 16 hex digits: fingerprint of data/chips/*.yaml as embedded
  int catalog_files = 0;  // number of chip files in that catalog
  std::string revision;   // git commit (12 hex digits, "-dirty" for local changes) or "unknown"
};

const BuildInfo& GetBuildInfo();

// The lines `tops --version` prints:
//   tops 0.1.0
//   catalog sha256:0123456789abcdef (16 chip files)
//   revision 43a6cde1f2ab
std::string VersionText();

}  // namespace tops
