// tops: how much compute a model needs, and whether a chip can run it.
// The CLI is a thin layer: parse options, call libtops, map errors to exit codes
// (0 ok, 1 does not fit with --check, 2 bad input).
#include <exception>
#include <iostream>

#include "commands.h"
#include "tops/error.h"

int main(int argc, char** argv) {
  tops::cli::PrepareHeap();
  CLI::App app;
  tops::cli::BuildApp(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const tops::Error& e) {
    std::cerr << "tops: error: " << e.what() << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "tops: error: out of memory\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "tops: internal error: " << e.what() << "\n";
    return 3;
  }
  return tops::cli::ExitCode();
}
