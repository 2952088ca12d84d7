// Runs the tops CLI in a child process and reports what a user (or a CI job) would see: exit
// code, stdout, stderr, wall time and peak resident memory (from wait4's rusage, which counts
// only the child). Used by the malformed table and the regression replay to hold every input to
// the same time and memory bounds.
#pragma once

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace tops::testing {

struct CliResult {
  int exit_code = -1;  // -1: killed by a signal (a crash)
  int signal = 0;
  std::string out;
  std::string err;
  double seconds = 0;       // CPU time (user + system) of the child
  double wall_seconds = 0;  // elapsed
  long max_rss_kb = 0;
};

inline std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

inline CliResult RunCli(const std::vector<std::string>& args) {
  char out_tmpl[] = "/tmp/tops_cli_out_XXXXXX";
  char err_tmpl[] = "/tmp/tops_cli_err_XXXXXX";
  const int out_fd = mkstemp(out_tmpl);
  const int err_fd = mkstemp(err_tmpl);
  std::vector<std::string> argv_storage{TOPS_BINARY};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);

  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  CliResult r;
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // CPU time, not wall time: the bound is about the work an input causes, which a loaded
  // machine (other builds on the same cores) must not turn into a failure.
  r.seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
              static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
  r.max_rss_kb = usage.ru_maxrss;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  close(out_fd);
  close(err_fd);
  r.out = Slurp(out_tmpl);
  r.err = Slurp(err_tmpl);
  unlink(out_tmpl);
  unlink(err_tmpl);
  return r;
}

// The same, with the arguments given as one line split on spaces (no quoting: tests only).
inline CliResult RunCli(const std::string& line) {
  std::vector<std::string> args;
  std::istringstream words(line);
  for (std::string w; words >> w;) args.push_back(w);
  return RunCli(args);
}

// Bounds on hostile input: no input may take more than 1 s of CPU or 200 MB. Sanitizer builds run
// the same code 10-20 times slower (Debug + ASan) and with shadow memory, so they get a
// proportionally larger allowance; the plain build is held to the numbers above.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr double kMaxSeconds = 10.0;
inline constexpr long kMaxRssKb = 600 * 1024;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr double kMaxSeconds = 10.0;
inline constexpr long kMaxRssKb = 600 * 1024;
#else
inline constexpr double kMaxSeconds = 1.0;
inline constexpr long kMaxRssKb = 200 * 1024;
#endif
#else
inline constexpr double kMaxSeconds = 1.0;
inline constexpr long kMaxRssKb = 200 * 1024;
#endif

}  // namespace tops::testing
