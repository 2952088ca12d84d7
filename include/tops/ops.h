// The ops tops can cost: one entry per op type of the registry (src/ops), with the formula its
// cost follows. docs/ops.md is this list as Markdown (`tops ops --markdown`).
#pragma once

#include <string>
#include <vector>

namespace tops {

struct OpInfo {
  std::string domain;   // "" for the default ONNX domain
  std::string op;       // "Conv"
  std::string family;   // "conv", "matmul", ... (the registry file it lives in)
  std::string formula;  // one line, e.g. "MACs = out_elems * Cin/group * prod(kernel)"
};

// Every registered op: the default domain first, then by domain and op name.
std::vector<OpInfo> SupportedOps();

}  // namespace tops
