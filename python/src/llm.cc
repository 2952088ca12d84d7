// Language models (`tops llm`, `tops rank --tokens-per-s`): the decoder read from any model
// argument, the library's estimates, and their typed results (bindings.h). Attributes carry the
// keys of the commands' JSON.
#include "tops/llm.h"

#include <pybind11/stl.h>

#include <memory>
#include <utility>

#include "bindings.h"
#include "tops/error.h"

namespace tops::python {
namespace {

using Strings = std::vector<std::string>;

// The JSON's "calibration" object of an estimate: the family's figures (0 where unsolved, as
// the JSON writes them) and whether they are the generic stand-in.
struct LlmCalibrationView {
  std::string id;
  bool fallback = false;
  double decode_bandwidth_efficiency = 0, prefill_efficiency = 0;
  double layer_overhead_us = 0, token_overhead_ms = 0;
  int rows = 0;
};

LlmCalibrationView CalibrationOf(const LlmEstimate& e) {
  const LlmFamily& c = e.calibration;
  return {c.id,
          e.calibration_fallback,
          c.decode_bandwidth_efficiency.value.value_or(0),
          c.prefill_efficiency.value.value_or(0),
          c.layer_overhead_us.value.value_or(0),
          c.token_overhead_ms.value.value_or(0),
          c.rows};
}

struct PyLlmRank {
  std::shared_ptr<const Catalog> catalog;  // the rows point at its chips
  LlmRank result;
};

// A model argument read and checked to be a decoder with a KV cache (else a ModelError).
struct Decoder {
  std::shared_ptr<const Model> model;
  DecoderFacts facts;
};
Decoder ReadDecoder(py::handle source, const std::string& label) {
  Source s = ToSource(source, label, true);
  py::gil_scoped_release release;
  return At(Stage::kModel, [&] { return Decoder{s.model, InspectDecoder(*s.model)}; });
}

// The weight formats compared, each with the KV cache precision (`--quant A,B --kv K`).
std::vector<QuantScheme> Schemes(const Strings& quants, const std::string& kv) {
  return At(Stage::kOption, [&] {
    if (quants.empty()) throw Error("quant needs at least one scheme");
    const int kv_bits = ParseKvBits(kv);
    std::vector<QuantScheme> out;
    for (const auto& q : quants) {
      out.push_back(ParseQuantScheme(q));
      out.back().kv_bits = kv_bits;
    }
    return out;
  });
}

const Chip& ChipOf(const Catalog& catalog, const std::string& id) {
  return At(Stage::kChip, [&]() -> const Chip& { return catalog.Get(id); });
}

void BindLlmTypes(py::module_& m) {
  py::class_<Range>(m, "LlmRange",
                    "An estimate and its likely range (the family's leave-one-out band).")
      .def_readonly("value", &Range::value)
      .def_readonly("low", &Range::low)
      .def_readonly("high", &Range::high);

  py::class_<DecoderLayerKv>(m, "KvCacheLayer", "One KV cache input of the decoder.")
      .def_readonly("elements_per_token", &DecoderLayerKv::elems_per_token)
      .def_readonly("head_dim", &DecoderLayerKv::head_dim)
      .def_readonly("window", &DecoderLayerKv::window);

  py::class_<DecoderFacts>(m, "Decoder", "What the decoder graph holds (the JSON's `decoder`).")
      .def_readonly("format", &DecoderFacts::format)
      .def_readonly("attention_layers", &DecoderFacts::attention_layers)
      .def_readonly("params", &DecoderFacts::params)
      .def_readonly("active_params", &DecoderFacts::active_params)
      .def_readonly("embedding_params", &DecoderFacts::embedding_params)
      .def_readonly("lm_head_tied", &DecoderFacts::lm_head_tied)
      .def_readonly("matrix_params", &DecoderFacts::matrix_params)
      .def_readonly("vocab", &DecoderFacts::vocab)
      .def_readonly("hidden", &DecoderFacts::hidden)
      .def_property_readonly("max_positions",
                             [](const DecoderFacts& f) -> std::optional<int64_t> {
                               if (f.max_positions == 0) return std::nullopt;
                               return f.max_positions;
                             })
      .def_readonly("file_weight_bytes", &DecoderFacts::file_weight_bytes)
      .def_readonly("file_is_quantized", &DecoderFacts::file_is_quantized)
      .def_readonly("kv_cache", &DecoderFacts::kv);

  py::class_<LlmModelSummary> summary(m, "LlmSummary");
  summary.def_readonly("model", &LlmModelSummary::path)
      .def_readonly("decoder", &LlmModelSummary::facts)
      .def_property_readonly("quant", [](const LlmModelSummary& s) { return s.quant.Name(); })
      .def_property_readonly("kv_bits", [](const LlmModelSummary& s) { return s.quant.kv_bits; })
      .def_readonly("weight_bytes", &LlmModelSummary::weight_bytes)
      .def_readonly("kv_bytes_per_token", &LlmModelSummary::kv_bytes_per_token)
      .def_property_readonly("decode_macs_per_token",
                             [](const LlmModelSummary& s) { return s.decode_at_prompt.macs; })
      .def_property_readonly("decode_flops_per_token",
                             [](const LlmModelSummary& s) { return s.decode_at_prompt.flops(); })
      .def_readonly("at_context", &LlmModelSummary::prompt);
  AddRender(summary);

  py::class_<LlmCalibrationView>(m, "LlmCalibration",
                                 "The calibrated figures an estimate used, and their family.")
      .def_readonly("id", &LlmCalibrationView::id)
      .def_readonly("fallback", &LlmCalibrationView::fallback)
      .def_readonly("decode_bandwidth_efficiency", &LlmCalibrationView::decode_bandwidth_efficiency)
      .def_readonly("prefill_efficiency", &LlmCalibrationView::prefill_efficiency)
      .def_readonly("layer_overhead_us", &LlmCalibrationView::layer_overhead_us)
      .def_readonly("token_overhead_ms", &LlmCalibrationView::token_overhead_ms)
      .def_readonly("rows", &LlmCalibrationView::rows);

  py::class_<DecodePoint>(m, "DecodePoint", "Decode speed at one context (the tokens/s curve).")
      .def_readonly("context", &DecodePoint::context)
      .def_readonly("tokens_per_s", &DecodePoint::tokens_per_s)
      .def_readonly("step_ms", &DecodePoint::step_ms)
      .def_readonly("bytes_per_step", &DecodePoint::bytes_per_step)
      .def_readonly("flops_per_token", &DecodePoint::flops_per_token)
      .def_property_readonly("bound", [](const DecodePoint& p) { return LlmBoundName(p.bound); });

  py::class_<LlmMemory>(m, "LlmMemory", "Weights, KV cache and activations against the chip's.")
      .def_readonly("weight_bytes", &LlmMemory::weight_bytes)
      .def_readonly("kv_bytes", &LlmMemory::kv_bytes)
      .def_readonly("activation_bytes", &LlmMemory::activation_bytes)
      .def_readonly("total_bytes", &LlmMemory::total_bytes)
      .def_readonly("capacity_bytes", &LlmMemory::capacity_bytes)
      .def_readonly("capacity_source", &LlmMemory::capacity_source)
      .def_property_readonly("fits",
                             [](const LlmMemory& mem) -> std::optional<bool> {
                               if (!mem.capacity_bytes) return std::nullopt;
                               return mem.fits;
                             })
      .def_readonly("max_context", &LlmMemory::max_context)
      .def_readonly("max_context_is_model_limit", &LlmMemory::context_limited_by_model);

  py::class_<LlmEstimate>(m, "LlmEstimate", "One weight format on the chip: phases and memory.")
      .def_readonly("chip", &LlmEstimate::chip_id)
      .def_readonly("chip_name", &LlmEstimate::chip_name)
      .def_readonly("runtime", &LlmEstimate::runtime)
      .def_property_readonly("quant", [](const LlmEstimate& e) { return e.quant.Name(); })
      .def_property_readonly("kv_bits", [](const LlmEstimate& e) { return e.quant.kv_bits; })
      .def_readonly("format_supported", &LlmEstimate::format_supported)
      .def_property_readonly("prompt", [](const LlmEstimate& e) { return e.options.prompt; })
      .def_property_readonly("generate", [](const LlmEstimate& e) { return e.options.generate; })
      .def_property_readonly("batch", [](const LlmEstimate& e) { return e.options.batch; })
      .def_readonly("prefill_chunk", &LlmEstimate::prefill_chunk)
      .def_readonly("prefill_chunks", &LlmEstimate::prefill_chunks)
      .def_readonly("peak_tops", &LlmEstimate::peak_tops)
      .def_readonly("bandwidth_gbs", &LlmEstimate::bandwidth_gbs)
      .def_property_readonly("calibration", &CalibrationOf)
      .def_readonly("prefill_flops", &LlmEstimate::prefill_flops)
      .def_readonly("ttft_ms", &LlmEstimate::ttft_ms)
      .def_readonly("prefill_tokens_per_s", &LlmEstimate::prefill_tokens_per_s)
      .def_property_readonly("prefill_bound",
                             [](const LlmEstimate& e) { return LlmBoundName(e.prefill_bound); })
      .def_readonly("decode_tokens_per_s", &LlmEstimate::decode_tokens_per_s)
      .def_readonly("batch_tokens_per_s", &LlmEstimate::batch_tokens_per_s)
      .def_readonly("end_to_end_ms", &LlmEstimate::end_to_end_ms)
      .def_readonly("curve", &LlmEstimate::curve)
      .def_readonly("memory", &LlmEstimate::memory)
      .def_readonly("available", &LlmEstimate::available)
      .def_readonly("missing", &LlmEstimate::missing)
      .def_readonly("caveats", &LlmEstimate::caveats);

  py::class_<LlmEstimates> result(m, "LlmResult");
  result.def_readonly("model", &LlmEstimates::path)
      .def_property_readonly(
          "decoder",
          [](const LlmEstimates& r) -> const DecoderFacts& { return r.estimates.front().facts; },
          py::return_value_policy::reference_internal)
      .def_readonly("estimates", &LlmEstimates::estimates)
      .def("_html", [](const LlmEstimates& r) {
        py::gil_scoped_release release;
        return RenderHtml(r);
      });
  AddRender(result);

  py::class_<LlmRankRow>(m, "LlmRankRow", "One chip of an LLM ranking: its estimate, verdict.")
      .def_readonly("estimate", &LlmRankRow::estimate)
      .def_readonly("meets", &LlmRankRow::meets)
      .def_readonly("fast_enough", &LlmRankRow::fast_enough);

  py::class_<PyLlmRank, std::shared_ptr<PyLlmRank>> rank(m, "LlmRankResult");
  rank.def_property_readonly("model", [](const PyLlmRank& r) { return r.result.path; })
      .def_property_readonly("target_tokens_per_s",
                             [](const PyLlmRank& r) { return r.result.target_tokens_per_s; })
      .def_property_readonly("context", [](const PyLlmRank& r) { return r.result.context; })
      .def_property_readonly(
          "rows",
          [](const PyLlmRank& r) -> const std::vector<LlmRankRow>& { return r.result.rows; },
          py::return_value_policy::reference_internal)
      .def_property_readonly("excluded", [](const PyLlmRank& r) {
        std::vector<RankExclusion> out;
        for (const auto& [id, why] : r.result.excluded) {
          out.push_back({id, why});
        }
        return out;
      });
  AddRender(rank, [](const PyLlmRank& r) -> const LlmRank& { return r.result; });
}

}  // namespace

void BindLlm(py::module_& m) {
  BindLlmTypes(m);

  // `tops llm MODEL [--chip ID]`: without a chip the decoder's summary under the first weight
  // format; with one, an estimate per weight format. An unknown runtime is an option error, as
  // for fit; the library's other refusals (prompt, batch, context out of range) are analysis
  // errors, as a frame rate out of range is.
  m.def(
      "llm",
      [](py::handle model, const std::string& label, const std::optional<std::string>& chip_id,
         const Strings& quants, const std::string& kv, int64_t prompt, int64_t generate,
         std::optional<int64_t> context, int64_t batch, std::optional<int64_t> chunk,
         const std::string& runtime, const std::vector<int64_t>& curve,
         std::optional<double> memory_gb, const Strings& chip_files) -> py::object {
        const std::vector<QuantScheme> schemes = Schemes(quants, kv);
        const Decoder d = ReadDecoder(model, label);
        if (!chip_id) {
          LlmModelSummary s;
          {
            py::gil_scoped_release release;
            s = At(Stage::kAnalysis,
                   [&] { return SummarizeDecoder(*d.model, d.facts, schemes.front(), prompt); });
          }
          return py::cast(std::move(s));
        }
        const Catalog catalog = LoadCatalog(chip_files);
        const Chip& chip = ChipOf(catalog, *chip_id);
        LlmOptions o;
        o.prompt = prompt;
        o.generate = generate;
        o.context = context;
        o.batch = batch;
        o.prefill_chunk = chunk;
        o.runtime = runtime;
        o.curve = curve;
        o.memory_gb = memory_gb;
        const bool known_runtime = runtime.empty() || catalog.llm_runtimes().contains(runtime);
        LlmEstimates out;
        out.path = d.model->path;
        {
          py::gil_scoped_release release;
          At(known_runtime ? Stage::kAnalysis : Stage::kOption, [&] {
            for (const QuantScheme& q : schemes) {
              o.quant = q;
              out.estimates.push_back(EstimateLlm(*d.model, d.facts, chip, catalog, o));
            }
          });
        }
        return py::cast(std::move(out));
      },
      py::arg("model"), py::arg("label"), py::arg("chip"), py::arg("quants"), py::arg("kv"),
      py::arg("prompt"), py::arg("generate"), py::arg("context"), py::arg("batch"),
      py::arg("chunk"), py::arg("runtime"), py::arg("curve"), py::arg("memory_gb"),
      py::arg("chip_files"));

  // `tops rank MODEL --tokens-per-s N`: every chip for the model at a context.
  m.def(
      "llm_rank",
      [](py::handle model, const std::string& label, double tokens_per_s, int64_t context,
         int64_t prompt, const std::string& quant, const std::string& kv,
         const Strings& chip_files) {
        LlmOptions o = At(Stage::kAnalysis, [&] { return LlmRankOptions(context, prompt); });
        o.quant = Schemes({quant}, kv).front();
        const Decoder d = ReadDecoder(model, label);
        auto r = std::make_shared<PyLlmRank>();
        r->catalog = std::make_shared<const Catalog>(LoadCatalog(chip_files));
        py::gil_scoped_release release;
        r->result = At(Stage::kAnalysis,
                       [&] { return RankLlm(*d.model, d.facts, *r->catalog, o, tokens_per_s); });
        return r;
      },
      py::arg("model"), py::arg("label"), py::arg("tokens_per_s"), py::arg("context"),
      py::arg("prompt"), py::arg("quant"), py::arg("kv"), py::arg("chip_files"));
}

}  // namespace tops::python
