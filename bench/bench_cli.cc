// The whole command as a user runs it: `tops profile MODEL --format F` for every format, each a
// child process whose CPU time (user + system, from wait4's rusage, microseconds) is measured,
// beside the in-library cost of the same work in this process (ReadModel + ProfileModel, then
// the writer into a stream that discards). Target: the whole command costs at most 5 ms of CPU
// per 1,000 nodes. Medians of RUNS runs, all in one run of this program; `--baseline OLD_TOPS`
// times another build of the CLI in the same run, for a before/after comparison.
//
// Children are started with posix_spawn (vfork semantics): a fork() of this process, which
// holds models and profiles, would charge the child copy-on-write faults and the teardown of a
// copy of this address space, none of which the command itself costs. `tops --version` is
// timed too: the cost of starting the program at all.
//
//   bench_cli TOPS [--model FILE] [--dim NAME=VALUE]... [--runs N] [--baseline OLD_TOPS]
#include <fcntl.h>
#include <spawn.h>
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
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  rusage ru{};
  if (spawned != 0 || wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
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
    // The model and profile are destroyed after the clock stops: the CLI never destroys them
    // (it exits), so their teardown is not part of the work compared.
    const double t0 = ProcessCpu();
    const tops::Model read = tops::ReadModel(model);
    tops::Profile profiled = tops::ProfileModel(read, options);
    profile_s.push_back(ProcessCpu() - t0);
    if (r + 1 == runs) profile = std::move(profiled);
  }
  NullBuf null_buf;
  std::ostream null_stream(&null_buf);
  const char* const kFormats[] = {"table", "json", "csv", "md"};

  std::printf("bench_cli: %s, %.0f nodes, %s; medians of %d runs, CPU ms (user + system)\n",
              model.c_str(), nodes, dims.empty() ? "no --dim" : dims[0].c_str(), runs);
  std::printf("%-30s %10s %11s %13s %8s  %-20s%s\n", "", "in library", "CLI process",
              "ms / 1k nodes", "budget", "verdict",
              baseline.empty() ? "" : "  baseline CLI  baseline / 1k");
  std::vector<double> start_s, base_start_s;
  for (int r = 0; r < runs; ++r) {
    start_s.push_back(ChildCpu({tops, "--version"}));
    if (!baseline.empty()) base_start_s.push_back(ChildCpu({baseline, "--version"}));
  }
  std::printf("%-30s %10s %11.2f %13s %8s  %-20s", "start-up (tops --version)", "",
              Median(start_s) * 1e3, "", "", "");
  if (!baseline.empty()) std::printf("  %12.2f", Median(base_start_s) * 1e3);
  std::printf("\n");
  const double prof_ms = Median(profile_s) * 1e3;
  std::printf("%-30s %10.2f %11s %13.2f\n", "read + profile", prof_ms, "", prof_ms * per_1k);
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
    if (*std::min_element(cli_s.begin(), cli_s.end()) < 0) {
      std::fprintf(stderr, "bench_cli: %s profile --format %s failed\n", tops.c_str(), f);
      return 2;
    }
    const double cli_ms = Median(cli_s) * 1e3;
    const double per_k = cli_ms * per_1k;
    char verdict[32];
    if (per_k <= kMaxMsPer1kNodes) {
      std::snprintf(verdict, sizeof verdict, "met, %.0f%% under",
                    100 * (1 - per_k / kMaxMsPer1kNodes));
    } else {
      std::snprintf(verdict, sizeof verdict, "MISSED by %.0f%%",
                    100 * (per_k / kMaxMsPer1kNodes - 1));
      missed = true;
    }
    const std::string label = std::string("profile --format ") + f;
    std::printf("%-30s %10.2f %11.2f %13.2f %8.2f  %-20s", label.c_str(), Median(write_s) * 1e3,
                cli_ms, per_k, kMaxMsPer1kNodes, verdict);
    if (!baseline.empty()) {
      const double base_ms = Median(base_s) * 1e3;
      std::printf("  %12.2f %13.2f", base_ms, base_ms * per_1k);
    }
    std::printf("\n");
  }
  std::printf(
      "In library: read + profile, and each writer alone on that profile. CLI process: the whole\n"
      "command in a child process. Budget: %.0f ms of CPU per 1,000 nodes, every format.\n",
      kMaxMsPer1kNodes);
  return missed ? 1 : 0;
}
