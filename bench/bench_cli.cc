// The whole command as a user runs it: `tops profile MODEL --format F` for every format, each a
// child process whose CPU time (user + system, from wait4's rusage, microseconds) is measured,
// beside the in-library cost of the same work in this process (ReadModel + ProfileModel, then
// the writer into a stream that discards). Target: the whole command costs at most 5 ms of CPU
// per 1,000 nodes. Medians of RUNS runs, all in one run of this program; `--baseline OLD_TOPS`
// times another build of the CLI in the same run, for a before/after comparison.
//
//   bench_cli TOPS [--model FILE] [--dim NAME=VALUE]... [--runs N] [--baseline OLD_TOPS]
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

#include "tops/output.h"
#include "tops/profile.h"
#include "tops/read.h"

namespace {

constexpr double kMaxMsPer1kNodes = 5;

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// CPU seconds (user + system) of one run of `argv`, its output thrown away; -1 when it failed.
double ChildCpu(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  rusage ru{};
  if (pid < 0 || wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    return -1;
  }
  auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec * 1e-6; };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

double ProcessCpu() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + t.tv_nsec * 1e-9;
}

class NullBuf : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

}  // namespace

int main(int argc, char** argv) {
  std::string tops, baseline, model = std::string(TOPS_BENCH_MODELS_DIR) + "/gpt_6k.onnx";
  std::vector<std::string> dims;
  int runs = 15;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--model" && i + 1 < argc) {
      model = argv[++i];
    } else if (a == "--dim" && i + 1 < argc) {
      dims.push_back(argv[++i]);
    } else if (a == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--baseline" && i + 1 < argc) {
      baseline = argv[++i];
    } else if (tops.empty()) {
      tops = a;
    } else {
      std::fprintf(stderr, "bench_cli: unexpected argument '%s'\n", a.c_str());
      return 2;
    }
  }
  if (tops.empty()) {
    std::fprintf(stderr,
                 "usage: bench_cli TOPS [--model FILE] [--dim NAME=VALUE]... [--runs N] "
                 "[--baseline OLD_TOPS]\n");
    return 2;
  }
  if (dims.empty() && model.find("gpt_6k") != std::string::npos) dims.push_back("seq=128");

  tops::ProfileOptions options;
  for (const auto& d : dims) options.dims.insert(tops::ParseDimOption(d));
  const tops::Model m = tops::ReadModel(model);
  const double nodes = static_cast<double>(m.graph.nodes.size());
  const double per_1k = 1000 / nodes;

  // In the library: read + profile, then each writer on that profile.
  std::vector<double> profile_s;
  tops::Profile profile;
  for (int r = 0; r < runs; ++r) {
    const double t0 = ProcessCpu();
    profile = tops::ProfileModel(tops::ReadModel(model), options);
    profile_s.push_back(ProcessCpu() - t0);
  }
  NullBuf null_buf;
  std::ostream null_stream(&null_buf);
  const char* const kFormats[] = {"table", "json", "csv", "md"};

  std::printf("bench_cli: %s, %.0f nodes, %s; medians of %d runs, CPU ms (user + system)\n",
              model.c_str(), nodes, dims.empty() ? "no --dim" : dims[0].c_str(), runs);
  std::printf("%-32s %10s %12s %12s%s\n", "", "in library", "CLI process", "ms / 1k nodes",
              baseline.empty() ? "" : "   baseline CLI  baseline ms / 1k nodes");
  const double prof_ms = Median(profile_s) * 1e3;
  std::printf("%-32s %10.2f %12s %12.2f\n", "read + profile", prof_ms, "", prof_ms * per_1k);
  bool missed = false;
  for (const char* f : kFormats) {
    std::vector<double> write_s, cli_s, base_s;
    for (int r = 0; r < runs; ++r) {
      const double t0 = ProcessCpu();
      tops::Write(null_stream, profile, tops::ProfileView{}, tops::ParseFormat(f));
      write_s.push_back(ProcessCpu() - t0);
      std::vector<std::string> args = {tops, "profile", model, "--format", f};
      for (const auto& d : dims) args.insert(args.end(), {"--dim", d});
      cli_s.push_back(ChildCpu(args));
      if (!baseline.empty()) {
        args[0] = baseline;
        base_s.push_back(ChildCpu(args));
      }
    }
    const double cli_ms = Median(cli_s) * 1e3;
    if (cli_ms < 0) {
      std::fprintf(stderr, "bench_cli: %s profile --format %s failed\n", tops.c_str(), f);
      return 2;
    }
    const std::string label = std::string("profile --format ") + f + " (write)";
    std::printf("%-32s %10.2f %12.2f %12.2f", label.c_str(), Median(write_s) * 1e3, cli_ms,
                cli_ms * per_1k);
    if (!baseline.empty()) {
      const double base_ms = Median(base_s) * 1e3;
      std::printf("   %12.2f %12.2f", base_ms, base_ms * per_1k);
    }
    std::printf("\n");
    if (cli_ms * per_1k > kMaxMsPer1kNodes) {
      std::fprintf(stderr, "  MISSED: profile --format %s %.2f ms per 1,000 nodes > %.0f\n", f,
                   cli_ms * per_1k, kMaxMsPer1kNodes);
      missed = true;
    }
  }
  std::printf("Target: the whole CLI <= %.0f ms of CPU per 1,000 nodes in every format.\n",
              kMaxMsPer1kNodes);
  return missed ? 1 : 0;
}
