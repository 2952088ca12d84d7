// Profiles one model through the installed public API and prints its MACs: the smallest real
// use of libtops. Built by tests/install/install_test.sh with CMake and with pkg-config.
#include <iostream>

#include "tops/error.h"
#include "tops/profile.h"
#include "tops/read.h"
#include "tops/version.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: consumer MODEL.onnx\n";
    return 2;
  }
  try {
    const tops::Profile profile = tops::ProfileModel(tops::ReadModel(argv[1]));
    std::cout << "libtops " << tops::GetBuildInfo().version << "\n"
              << "MACs: " << profile.totals.macs << "\n";
  } catch (const tops::Error& e) {
    std::cerr << "consumer: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
