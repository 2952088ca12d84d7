// `tops --version` text from the build identity recorded by cmake/version.cmake.
#include "tops/version.h"

#include <string>

namespace tops {

std::string VersionText() {
  const BuildInfo& b = GetBuildInfo();
  return "tops " + b.version + "\ncatalog " + b.catalog + " (" + std::to_string(b.catalog_files) +
         " chip files)\nrevision " + b.revision;
}

}  // namespace tops
