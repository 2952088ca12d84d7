# Debian package: `make package` (top-level Makefile) or `cmake --build build --target package`
# writes build/tops_<version>_<arch>.deb with everything cmake/install.cmake installs, under /usr.
# Runtime dependencies (protobuf, ONNX, fmt, yaml-cpp, the C++ runtime) are computed by
# dpkg-shlibdeps from the binaries, so they name exactly the Debian library packages the build
# linked against; the package also registers libtops with ldconfig (shlibs + triggers).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tops)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "tops developers")
set(CPACK_PACKAGE_CONTACT "tops developers <tops@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "how much compute an AI model needs, and whether a chip can run it")
set(CPACK_PACKAGE_DESCRIPTION
    "tops reads an ONNX model file (weights never loaded) and counts parameters, MACs, FLOPs,
bytes and activation memory per layer, exactly, with the counting convention printed. It says
how many TOPS a frame rate needs at INT8/FP16/FP32, and for each chip of a sourced catalog of
edge accelerators whether it is enough, with a calibrated per-layer roofline prediction, what-if
scenarios (quantise, prune, batch), HTML reports and per-node metrics for the Netron viewer.
This package holds the tops command, the libtops shared library with its C++ headers, CMake
package and pkg-config file, man pages and bash/zsh completions.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # tops_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
# Reading the man pages and using the completions need these; neither is required to run tops.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "man-db, bash-completion")
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# Strip the installed binaries: the package carries no debug information.
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_GENERATOR "")
include(CPack)
