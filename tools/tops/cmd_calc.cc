// `tops calc conv2d|depthwise|linear|matmul`: the article's back-of-envelope layer formulas.
#include <iostream>
#include <memory>

#include "commands.h"
#include "tops/formulas.h"
#include "tops/output.h"

namespace tops::cli {
namespace {

struct CalcOptions {
  int64_t cin = 0, cout = 0, kernel = 0, kernel_h = 0, kernel_w = 0, out = 0, out_h = 0, out_w = 0,
          groups = 1, batch = 1, in_features = 0, out_features = 0, m = 0, k = 0, n = 0;
  bool json = false;
};

void Print(const LayerMacs& layer, bool json) {
  Write(std::cout, layer, json ? Format::kJson : Format::kTable);
}

int64_t Pick(int64_t both, int64_t one) { return one > 0 ? one : both; }

}  // namespace

void AddCalcCommand(CLI::App& app) {
  auto o = std::make_shared<CalcOptions>();
  CLI::App* calc = app.add_subcommand(
      "calc", "Back-of-envelope MACs of one layer, for users without a model file");
  calc->require_subcommand(1);

  CLI::App* conv =
      calc->add_subcommand("conv2d", "MACs = batch * cout * cin/groups * kh * kw * out_h * out_w");
  conv->add_option("--cin", o->cin, "Input channels")->required();
  conv->add_option("--cout", o->cout, "Output channels")->required();
  conv->add_option("--kernel", o->kernel, "Square kernel size (or --kernel-h/--kernel-w)");
  conv->add_option("--kernel-h", o->kernel_h, "Kernel height");
  conv->add_option("--kernel-w", o->kernel_w, "Kernel width");
  conv->add_option("--out", o->out, "Square output size (or --out-h/--out-w)");
  conv->add_option("--out-h", o->out_h, "Output height");
  conv->add_option("--out-w", o->out_w, "Output width");
  conv->add_option("--groups", o->groups, "Groups")->capture_default_str();
  conv->add_option("--batch", o->batch, "Batch size")->capture_default_str();
  conv->add_flag("--json", o->json, "JSON output");
  conv->callback([o] {
    const int64_t kh = Pick(o->kernel, o->kernel_h), kw = Pick(o->kernel, o->kernel_w);
    const int64_t oh = Pick(o->out, o->out_h), ow = Pick(o->out, o->out_w);
    Print(Conv2dLayer(o->cin, o->cout, kh, kw, oh, ow, o->groups, o->batch), o->json);
  });

  CLI::App* dw = calc->add_subcommand(
      "depthwise", "MACs = batch * channels * kh * kw * out_h * out_w (groups = channels)");
  dw->add_option("--channels,--cin", o->cin, "Channels")->required();
  dw->add_option("--kernel", o->kernel, "Square kernel size (or --kernel-h/--kernel-w)");
  dw->add_option("--kernel-h", o->kernel_h, "Kernel height");
  dw->add_option("--kernel-w", o->kernel_w, "Kernel width");
  dw->add_option("--out", o->out, "Square output size (or --out-h/--out-w)");
  dw->add_option("--out-h", o->out_h, "Output height");
  dw->add_option("--out-w", o->out_w, "Output width");
  dw->add_option("--batch", o->batch, "Batch size")->capture_default_str();
  dw->add_flag("--json", o->json, "JSON output");
  dw->callback([o] {
    Print(DepthwiseLayer(o->cin, Pick(o->kernel, o->kernel_h), Pick(o->kernel, o->kernel_w),
                         Pick(o->out, o->out_h), Pick(o->out, o->out_w), o->batch),
          o->json);
  });

  CLI::App* lin = calc->add_subcommand("linear", "MACs = batch * in_features * out_features");
  lin->add_option("--in,--in-features", o->in_features, "Input features")->required();
  lin->add_option("--out,--out-features", o->out_features, "Output features")->required();
  lin->add_option("--batch", o->batch, "Batch size (rows)")->capture_default_str();
  lin->add_flag("--json", o->json, "JSON output");
  lin->callback([o] { Print(LinearLayer(o->in_features, o->out_features, o->batch), o->json); });

  CLI::App* mm = calc->add_subcommand("matmul", "MACs = batch * M * K * N for [M,K] x [K,N]");
  mm->add_option("-m,--m", o->m, "Rows of A")->required();
  mm->add_option("-k,--k", o->k, "Columns of A = rows of B")->required();
  mm->add_option("-n,--n", o->n, "Columns of B")->required();
  mm->add_option("--batch", o->batch, "Batch count")->capture_default_str();
  mm->add_flag("--json", o->json, "JSON output");
  mm->callback([o] { Print(MatMulLayer(o->m, o->k, o->n, o->batch), o->json); });
}

}  // namespace tops::cli
