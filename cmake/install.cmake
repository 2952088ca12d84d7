# Install: `cmake --install build --prefix P` puts in P
#   bin/tops                                   the CLI
#   lib/libtops.so.0.1.0 (SONAME libtops.so.0.1) and the libtops.so link
#   include/tops/*.h                           the public API
#   lib/cmake/tops/                            find_package(tops CONFIG) -> tops::tops
#   lib/pkgconfig/tops.pc                      pkg-config --cflags --libs tops
#   share/man/man1/tops.1.gz, tops-<command>.1.gz
#   share/bash-completion/completions/tops, share/zsh/vendor-completions/_tops
#   share/doc/tops/                            README.md and docs/
# (lib is lib/x86_64-linux-gnu when configured with the prefix /usr, as GNUInstallDirs decides.)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# ---- Shared library: the objects of tops_lib (already position-independent), linked once more.
# Before 1.0 a minor version may change the ABI, so the SONAME carries major.minor.
add_library(tops_shared SHARED $<TARGET_OBJECTS:tops_lib>)
add_dependencies(tops_shared tops_lib)
add_library(tops::tops ALIAS tops_shared)
set_target_properties(tops_shared PROPERTIES
  OUTPUT_NAME tops
  EXPORT_NAME tops
  VERSION ${PROJECT_VERSION}
  SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
# The public headers use only the standard library (C++20); every dependency stays private to
# the .so (its DT_NEEDED entries), so a consumer needs nothing but libtops itself.
target_include_directories(tops_shared PUBLIC
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_compile_features(tops_shared PUBLIC cxx_std_20)
target_link_libraries(tops_shared PRIVATE protobuf::libprotobuf-lite ${TOPS_FMT} yaml-cpp)
# Undefined symbols are an error at link time, not at a consumer's.
target_link_options(tops_shared PRIVATE -Wl,--no-undefined)

# ---- Man pages and shell completions, written by tools/docgen from the CLI definition.
add_executable(tops_docgen tools/docgen/docgen.cc)
target_link_libraries(tops_docgen PRIVATE tops_cli)
target_compile_options(tops_docgen PRIVATE -Wall -Wextra)
set(TOPS_DOCS_DIR ${PROJECT_BINARY_DIR}/docgen)
set(TOPS_DOCS_STAMP ${TOPS_DOCS_DIR}/stamp)
find_program(TOPS_GZIP gzip REQUIRED)
add_custom_command(
  OUTPUT ${TOPS_DOCS_STAMP}
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${TOPS_DOCS_DIR}/man ${TOPS_DOCS_DIR}/completions
  COMMAND tops_docgen --readme ${PROJECT_SOURCE_DIR}/README.md --out ${TOPS_DOCS_DIR}
  # Debian ships man pages compressed; -n leaves the time stamp out so the bytes are reproducible.
  COMMAND sh -c "${TOPS_GZIP} -9nkf ${TOPS_DOCS_DIR}/man/*.1"
  COMMAND ${CMAKE_COMMAND} -E touch ${TOPS_DOCS_STAMP}
  DEPENDS tops_docgen ${PROJECT_SOURCE_DIR}/README.md
  COMMENT "Writing man pages and shell completions from the CLI definition"
  VERBATIM)
add_custom_target(tops_docs ALL DEPENDS ${TOPS_DOCS_STAMP})

# ---- What goes where.
install(TARGETS tops RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS tops_shared EXPORT topsTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY include/tops DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")

set(TOPS_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tops)
install(EXPORT topsTargets NAMESPACE tops:: DESTINATION ${TOPS_CMAKE_DIR})
configure_package_config_file(cmake/topsConfig.cmake.in
  ${PROJECT_BINARY_DIR}/topsConfig.cmake INSTALL_DESTINATION ${TOPS_CMAKE_DIR})
# Before 1.0 only the same minor version is compatible (the SONAME says the same).
write_basic_package_version_file(${PROJECT_BINARY_DIR}/topsConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/topsConfig.cmake ${PROJECT_BINARY_DIR}/topsConfigVersion.cmake
  DESTINATION ${TOPS_CMAKE_DIR})

# pkg-config: the prefix is found from the .pc file's own place, so the file is right for
# whatever --prefix `cmake --install` is given.
file(RELATIVE_PATH TOPS_PC_TO_PREFIX /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
string(REGEX REPLACE "/$" "" TOPS_PC_TO_PREFIX "${TOPS_PC_TO_PREFIX}")
configure_file(cmake/tops.pc.in ${PROJECT_BINARY_DIR}/tops.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/tops.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(DIRECTORY ${TOPS_DOCS_DIR}/man/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
  FILES_MATCHING PATTERN "*.1.gz")
install(FILES ${TOPS_DOCS_DIR}/completions/tops.bash
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME tops)
# Debian's zsh looks in vendor-completions; other systems may want site-functions instead.
set(TOPS_ZSH_COMPLETION_DIR ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions CACHE STRING
    "Where the zsh completion _tops is installed (relative to the prefix)")
install(FILES ${TOPS_DOCS_DIR}/completions/_tops DESTINATION ${TOPS_ZSH_COMPLETION_DIR})
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)
