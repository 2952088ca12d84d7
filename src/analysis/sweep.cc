// --sweep: the same model profiled once per value of one symbolic dim (seq=128,256,...), so
// the growth of MACs and memory with batch or sequence length reads off one table.
#include <charconv>

#include "tops/error.h"
#include "tops/profile.h"

namespace tops {

std::pair<std::string, std::vector<int64_t>> ParseSweepOption(const std::string& text) {
  const auto eq = text.find('=');
  auto bad = [&] {
    return Error(
        "--sweep expects NAME=V1,V2,... with non-negative integers (e.g. "
        "seq=128,256,512), got '" +
        text + "'");
  };
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) throw bad();
  std::vector<int64_t> values;
  size_t pos = eq + 1;
  while (pos <= text.size()) {
    size_t next = text.find(',', pos);
    if (next == std::string::npos) next = text.size();
    int64_t v = -1;
    const char* b = text.data() + pos;
    const char* e = text.data() + next;
    auto res = std::from_chars(b, e, v);
    if (res.ec != std::errc() || res.ptr != e || b == e || v < 0) throw bad();
    values.push_back(v);
    pos = next + 1;
  }
  return {text.substr(0, eq), values};
}

Sweep ProfileSweep(const Model& model, const ProfileOptions& options, const std::string& dim,
                   const std::vector<int64_t>& values) {
  if (values.empty()) throw Error("--sweep " + dim + ": no values");
  if (options.dims.count(dim)) {
    throw Error("--sweep " + dim + " and --dim " + dim + " both bind the same dim");
  }
  Sweep sweep;
  sweep.dim = dim;
  for (int64_t v : values) {
    ProfileOptions o = options;
    o.dims[dim] = v;
    sweep.points.push_back({v, ProfileModel(model, o)});
  }
  return sweep;
}

}  // namespace tops
