// `tops llm MODEL [--chip ID]`: a language model's parameters, KV cache and FLOPs per token, and
// on a chip its time to first token, tokens/s as a function of context and memory fit.
// `tops rank MODEL --tokens-per-s N` ranks the catalog for it. Parsing and printing only.
#include <iostream>
#include <memory>
#include <sstream>

#include "commands.h"
#include "tops/chip.h"
#include "tops/error.h"
#include "tops/llm.h"
#include "tops/output.h"
#include "tops/read.h"

namespace tops::cli {
namespace {

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

Catalog LoadLlmCatalog(const std::vector<std::string>& files) {
  Catalog catalog = Catalog::Builtin();
  for (const auto& f : files) catalog.LoadFile(f);
  return catalog;
}

struct LlmCli {
  std::string model;
  std::string chip;
  std::string quant = "fp16";
  std::string kv = "fp16";
  int64_t prompt = 512;
  int64_t generate = 128;
  int64_t context = 0;
  int64_t batch = 1;
  int64_t chunk = 0;
  double memory_gb = 0;
  std::string runtime;
  std::string curve;
  std::string format = "table";
  std::vector<std::string> chip_files;
};

void Run(const LlmCli& c) {
  const bool html = c.format == "html";
  const Format format = html ? Format::kTable : ParseFormat(c.format);
  const Model model = ReadModel(c.model);
  const DecoderFacts facts = InspectDecoder(model);
  std::vector<std::string> quants = SplitComma(c.quant);
  if (quants.empty()) throw Error("--quant needs at least one scheme");
  LlmOptions o;
  o.prompt = c.prompt;
  o.generate = c.generate;
  if (c.context != 0) o.context = c.context;
  o.batch = c.batch;
  if (c.chunk != 0) o.prefill_chunk = c.chunk;
  o.runtime = c.runtime;
  if (c.memory_gb != 0) o.memory_gb = c.memory_gb;
  for (const auto& v : SplitComma(c.curve)) {
    try {
      o.curve.push_back(std::stoll(v));
    } catch (const std::exception&) {
      throw Error("--curve: '" + v + "' is not a whole number");
    }
  }
  const int kv_bits = ParseKvBits(c.kv);
  if (c.chip.empty()) {
    QuantScheme quant = ParseQuantScheme(quants.front());
    quant.kv_bits = kv_bits;
    Write(std::cout, SummarizeDecoder(model, facts, quant, c.prompt), format);
    return;
  }
  const Catalog catalog = LoadLlmCatalog(c.chip_files);
  const Chip& chip = catalog.Get(c.chip);
  LlmEstimates out;
  out.path = model.path;
  for (const auto& q : quants) {
    o.quant = ParseQuantScheme(q);
    o.quant.kv_bits = kv_bits;
    out.estimates.push_back(EstimateLlm(model, facts, chip, catalog, o));
  }
  if (html) {
    WriteHtml(std::cout, out);
  } else {
    Write(std::cout, out, format);
  }
}

}  // namespace

void AddLlmRankOptions(CLI::App* cmd, LlmRankArgs* a) {
  cmd->add_option("--tokens-per-s", a->tokens_per_s,
                  "Language model: rank chips by decode tokens/s against this target "
                  "(MODEL is a config.json or a decoder ONNX)");
  cmd->add_option("--context", a->context, "Language model: context the target applies at")
      ->capture_default_str();
  cmd->add_option("--prompt", a->prompt,
                  "Language model: prompt tokens (default: half the context)");
  cmd->add_option("--quant", a->quant, "Language model: weight format (see `tops llm --help`)")
      ->capture_default_str();
  cmd->add_option("--kv", a->kv, "Language model: KV cache precision fp16, int8 or int4")
      ->capture_default_str();
}

void RunLlmRank(const std::vector<std::string>& models, const std::vector<std::string>& chip_files,
                const LlmRankArgs& a, Format format) {
  if (models.size() != 1) throw Error("--tokens-per-s ranks one language model at a time");
  LlmOptions o = LlmRankOptions(a.context, a.prompt);
  const Model model = ReadModel(models.front());
  const DecoderFacts facts = InspectDecoder(model);
  const Catalog catalog = LoadLlmCatalog(chip_files);
  o.quant = ParseQuantScheme(a.quant);
  o.quant.kv_bits = ParseKvBits(a.kv);
  Write(std::cout, RankLlm(model, facts, catalog, o, a.tokens_per_s), format);
}

void AddLlmCommand(CLI::App& app) {
  auto c = std::make_shared<LlmCli>();
  CLI::App* cmd = app.add_subcommand(
      "llm",
      "Language model on a chip: time to first token, tokens/s vs context, memory.\n"
      "MODEL is a Hugging Face config.json (no weights needed) or a decoder ONNX export with a\n"
      "KV cache (past_key_values inputs; external data files are never opened).\n"
      "Without --chip: parameters, weight and KV cache bytes, FLOPs per token.");
  cmd->add_option("model", c->model, "config.json or decoder .onnx")->required();
  cmd->add_option("--chip", c->chip, "Chip id or alias (`tops chips`)");
  cmd->add_option("--quant", c->quant,
                  "Weight format: fp16, bf16, fp32, w8a8, w8a16, w4a16, w4a16_g128 (group size), "
                  "or file (as stored); a comma list compares several")
      ->capture_default_str();
  cmd->add_option("--kv", c->kv, "KV cache precision: fp16, int8 or int4")->capture_default_str();
  cmd->add_option("--prompt", c->prompt, "Prompt tokens (prefill)")->capture_default_str();
  cmd->add_option("--gen", c->generate, "Generated tokens (decode)")->capture_default_str();
  cmd->add_option("--context", c->context,
                  "KV cache capacity for the memory check (default: prompt + gen)");
  cmd->add_option("--batch", c->batch, "Sequences decoded together")->capture_default_str();
  cmd->add_option("--memory", c->memory_gb,
                  "Memory the board has for the model, in GB, for the memory check (default: the "
                  "catalog's size, for an SoC often the most it supports)");
  cmd->add_option("--chunk", c->chunk, "Prefill chunk (default: the runtime's)");
  cmd->add_option("--runtime", c->runtime, "LLM runtime id (default: the chip's first)");
  cmd->add_option("--curve", c->curve, "Contexts of the tokens/s curve, e.g. 512,2048,8192");
  cmd->add_option("--format", c->format,
                  "Output format: table, json, csv, md, or html (a page with a tokens/s-vs-context "
                  "chart; needs --chip)")
      ->capture_default_str();
  cmd->add_option("--chips", c->chip_files, "Extra chip file (YAML); repeatable");
  cmd->footer(
      "Examples:\n"
      "  tops llm qwen2.5-1.5b.json                          parameters, KV bytes, FLOPs/token\n"
      "  tops llm qwen2.5-1.5b.json --chip rk3588 --quant w8a8 --prompt 128 --gen 64\n"
      "  tops llm model.onnx --chip jetson_orin_nano_8gb --quant file --curve 1024,4096,16384\n"
      "  tops llm llama.json --chip rk3588 --quant fp16,w8a8,w4a16 --context 8192\n"
      "  tops llm qwen2.5-7b.json --chip rk3588 --quant w4a16 --memory 8   an 8 GB board\n"
      "Times are calibrated per chip family and runtime (docs/llm.md): the range printed\n"
      "beside each is the family's leave-one-out band (5th to 95th percentile).");
  cmd->callback([c] { Run(*c); });

  struct CalCli {
    std::string path = "data/measurements/llm";
    std::string root = ".";
    std::string format = "yaml";
  };
  auto k = std::make_shared<CalCli>();
  CLI::App* cal = app.add_subcommand(
      "llm-calibrate",
      "Solve the LLM calibration families from published measurements: prints the catalog\n"
      "file (data/chips/llm_calibration.yaml) or, with --format table/md, every row's\n"
      "prediction in sample and left out.");
  cal->add_option("measurements", k->path, "Directory or file of measurement rows")
      ->capture_default_str();
  cal->add_option("--root", k->root, "Repository root the rows' model paths are relative to")
      ->capture_default_str();
  cal->add_option("--format", k->format, "yaml (catalog file), table, json, csv or md")
      ->capture_default_str();
  cal->callback([k] {
    const auto rows = LoadLlmMeasurements(k->path);
    // Solve against the chips and runtimes only: the families being solved are not used.
    const LlmCalibrationResult r = CalibrateLlm(rows, Catalog::Builtin(), k->root);
    if (k->format == "yaml") {
      std::cout << LlmCalibrationYaml(r);
    } else {
      Write(std::cout, r, ParseFormat(k->format));
    }
    for (const auto& s : r.skipped) std::cerr << "tops: skipped " << s << "\n";
  });
}

}  // namespace tops::cli
