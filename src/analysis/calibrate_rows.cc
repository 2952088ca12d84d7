// Measurement rows made ready for the calibration solver: each row's model profiled at the
// measured input size, decomposed into per-layer work by the roofline, with the chip's peak,
// bandwidth and the family it calibrates.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "analysis/calibrate_internal.h"
#include "core/text.h"
#include "fmt/format.h"
#include "tops/error.h"
#include "tops/fit.h"
#include "tops/profile.h"
#include "tops/read.h"

namespace tops {

std::string RuntimeId(std::string_view published) {
  std::string s(published);
  auto has = [&](std::string_view w) { return s.find(w) != std::string::npos; };
  if (has("HailoRT")) return "hailort";
  if (has("Edge TPU") || has("libedgetpu")) return "edgetpu";
  if (s.rfind("QNN", 0) == 0) return "qnn";
  if (has("TFLite") || has("TensorFlow Lite") || has("LiteRT")) return "tflite";
  if (has("RKNN")) return "rknn";
  if (has("TensorRT")) return "tensorrt";
  if (has("ONNX")) return "onnxruntime";
  if (has("TensorFlow")) return "tensorflow";
  const std::string word = AsciiLower(s.substr(0, s.find_first_of(" ,(")));
  return word.empty() ? "unknown" : word;
}

namespace analysis {

std::string VendorRuntime(const std::string& family_id) {
  static const std::map<std::string, std::string> kVendor = {
      {"hailo_dataflow", "hailort"}, {"google_edgetpu", "edgetpu"},
      {"qualcomm_hexagon", "qnn"},   {"rockchip_rknpu", "rknn"},
      {"rockchip_rknpu1", "rknn"},   {"nvidia_tensorrt", "tensorrt"}};
  auto it = kVendor.find(family_id);
  return it == kVendor.end() ? "" : it->second;
}

namespace {

namespace fs = std::filesystem;

// The model file a row names: <models_dir>/<fixture>.onnx for a published fixture name, else a
// path relative to the measurement file.
std::string ModelPath(const Measurement& m, const CalibrationOptions& options) {
  if (!options.models_dir.empty()) {
    const fs::path p = fs::path(options.models_dir) / (m.fixture + ".onnx");
    std::error_code ec;
    if (fs::exists(p, ec)) return p.string();
  }
  fs::path p(m.fixture);
  if (p.is_relative() && !m.origin.empty()) p = fs::path(m.origin).parent_path() / p;
  return p.string();
}

// The model's image input: the first graph input of rank 4 that is not an initializer.
const ValueInfo* ImageInput(const Model& model) {
  std::set<std::string> inits;
  for (const auto& t : model.graph.initializers) inits.insert(t.name);
  for (const auto& in : model.graph.inputs) {
    if (!inits.count(in.name) && in.shape.rank() == 4) return &in;
  }
  return nullptr;
}

// Profiles shared by the rows of the same model and input size.
class ProfileCache {
 public:
  // The profile at one image of the row's size, or an error text.
  const Profile* Get(const std::string& path, const std::vector<int64_t>& input, std::string* why) {
    const std::string key = path + fmt::format("|{}", fmt::join(input, "x"));
    auto it = cache_.find(key);
    if (it == cache_.end()) it = cache_.emplace(key, Load(path, input)).first;
    if (!it->second.profile) *why = it->second.error;
    return it->second.profile.get();
  }

 private:
  struct Entry {
    std::shared_ptr<Profile> profile;
    std::string error;
  };
  Entry Load(const std::string& path, std::vector<int64_t> input) {
    Entry e;
    try {
      auto model = models_.find(path);
      if (model == models_.end()) {
        model = models_.emplace(path, std::make_shared<Model>(ReadModel(path))).first;
      }
      ProfileOptions po;
      const ValueInfo* image = ImageInput(*model->second);
      if (image && input.size() == 4) {
        input[0] = 1;
        bool same = true;
        for (size_t d = 1; d < 4; ++d) {
          same = same && image->shape.dims[d].known() && image->shape.dims[d].value == input[d];
        }
        if (!same || !image->shape.dims[0].known()) po.input_shapes[image->name] = input;
      }
      e.profile = std::make_shared<Profile>(ProfileModel(*model->second, po));
      if (e.profile->totals.macs <= 0) {
        e.error = "the model's MACs are unknown at this input size";
        e.profile.reset();
      }
    } catch (const Error& err) {
      e.error = err.what();
    }
    return e;
  }
  std::map<std::string, std::shared_ptr<Model>> models_;
  std::map<std::string, Entry> cache_;
};

// Layers without DRAM traffic only ever add compute time: merged per class, they cost the solver
// one term each instead of one per layer.
void MergeOnChipLayers(InferenceWork* work) {
  std::vector<WorkItem> kept;
  std::array<WorkItem, kOpClassCount> merged{};
  for (const WorkItem& w : work->items) {
    if (w.dram_bytes > 0 || w.on_cpu) {
      kept.push_back(w);
    } else {
      WorkItem& m = merged[static_cast<size_t>(w.op_class)];
      m.op_class = w.op_class;
      m.ops += w.ops;
    }
  }
  for (const WorkItem& m : merged) {
    if (m.ops > 0) kept.push_back(m);
  }
  work->items = std::move(kept);
}

std::vector<double> LogFigures(const Family& f, bool contexts) {
  std::vector<double> u(kOpClassCount + 5);
  for (OpClass c : AllOpClasses()) {
    const Figure& e = EfficiencyOf(f, c);
    u[static_cast<size_t>(c)] = std::log(e.known() && *e > 0 ? *e : 0.1);
  }
  auto log_or = [](const Figure& x, double scale, double fallback) {
    return std::log(x.known() && *x > 0 ? *x * scale : fallback);
  };
  u[kOpClassCount] = log_or(f.layer_overhead_us, 1e-6, 1e-6);
  u[kOpClassCount + 1] = log_or(f.inference_overhead_us, 1e-6, 1e-6);
  u[kOpClassCount + 2] = log_or(f.context_switch_us, 1e-6, contexts ? 1e-3 : 1e-9);
  u[kOpClassCount + 3] = log_or(f.context_capacity_mb_per_tops, 1e6, 1e6);
  u[kOpClassCount + 4] = log_or(f.context_layers_per_tops, 1, 5);
  return u;
}

}  // namespace

std::vector<PreparedRow> PrepareRows(const std::vector<Measurement>& measurements,
                                     const Catalog& catalog, const CalibrationOptions& options,
                                     std::vector<CalibratedRow>* rows) {
  ProfileCache profiles;
  std::vector<PreparedRow> out;
  rows->clear();
  for (size_t i = 0; i < measurements.size(); ++i) {
    const Measurement& m = measurements[i];
    rows->push_back({});
    CalibratedRow& row = rows->back();
    row.row = m;
    const std::string chip_id = m.chip.empty() ? options.chip : m.chip;
    const Chip* chip = catalog.Find(chip_id);
    if (!options.chip.empty() && chip && chip->id != catalog.Get(options.chip).id) {
      row.skipped = "row is for chip " + chip->id + ", not " + options.chip;
      continue;
    }
    if (!chip) {
      row.skipped = chip_id.empty() ? "no chip (give --chip)" : "unknown chip '" + chip_id + "'";
      continue;
    }
    if (m.fixture.empty()) {
      row.skipped = "no model file stands for it" +
                    (m.fixture_note.empty() ? std::string() : " (" + m.fixture_note + ")");
      continue;
    }
    const bool throughput = m.mode == MeasurementMode::kOffline;
    const Figure* dense = chip->DensePeak(m.precision);
    if (!dense) {
      row.skipped =
          fmt::format("chip {} has no {} dense peak", chip->id, PrecisionName(m.precision));
      continue;
    }
    const Peak& peak = chip->peaks.at(m.precision);
    double peak_tops = **dense;
    if (!throughput && peak.single_inference.known()) {
      peak_tops = *peak.single_inference;
    } else if (!throughput && m.cores && chip->cores.known() && *chip->cores > *m.cores) {
      peak_tops *= static_cast<double>(*m.cores) / *chip->cores;
    }
    std::string why;
    const Profile* profile = profiles.Get(ModelPath(m, options), m.input, &why);
    if (!profile) {
      row.skipped = "model " + m.fixture + ": " + why;
      continue;
    }

    PreparedRow p;
    p.row = i;
    p.chip_id = chip->id;
    p.family_id = chip->family;
    p.runtime = RuntimeId(m.runtime);
    p.group = (options.chip.empty() ? chip->family : chip->id) + "/" + p.runtime;
    p.chip_class = chip->kind == ChipKind::kGpu ? "gpu" : "npu";
    p.model_key = m.fixture;
    p.precision = m.precision;
    // The catalog's figures for the row's runtime where it has some, else the default ones.
    const std::vector<std::string> runtimes = catalog.RuntimesOf(*chip);
    p.base_family = std::count(runtimes.begin(), runtimes.end(), p.runtime)
                        ? &catalog.FamilyFor(*chip, p.runtime)
                        : &catalog.FamilyOf(*chip);
    p.contexts = p.base_family->splits_into_contexts;
    p.peak_tops = peak_tops;
    p.peak_ops = peak_tops * 1e12;
    p.throughput = throughput;
    p.batch = static_cast<double>(std::max<int64_t>(1, m.batch));
    p.measured_s = m.MsPerImage() / 1e3;

    RooflineParams rp;
    rp.precision = m.precision;
    rp.activation_bits = m.activations_16bit ? 16 : 0;
    rp.peak_tops = peak_tops;
    rp.external_memory = chip->external_memory;
    if (chip->memory_bandwidth_gbs.known()) rp.bandwidth_gbs = *chip->memory_bandwidth_gbs;
    if (chip->on_chip_memory_mb.known()) rp.on_chip_bytes = *chip->on_chip_memory_mb * 1e6;
    rp.family = p.base_family;
    rp.cpu = &chip->cpu;
    rp.throughput = throughput;
    rp.batch = p.batch;
    p.bandwidth = rp.bandwidth_gbs * 1e9;
    p.work = Decompose(*profile, rp);
    MergeOnChipLayers(&p.work);
    // The deployed graph's layer count, where published, sets the per-layer overheads: the
    // runtime's graph (AI Hub's TFLite splits attention per head, adds requantisations to an
    // int8 DenseNet) is what runs, not the fixture's.
    p.fixture_layers = p.work.layers;
    if (m.layers) p.work.layers = static_cast<int>(m.layers->total);
    p.catalog_params = LogFigures(*p.base_family, p.contexts);
    {
      // As `tops fit` predicts: the catalog's figures with its share of this chip's peak.
      RooflineParams catalog_rp = rp;
      catalog_rp.peak_tops *= p.base_family->PeakShareOf(chip->id, m.precision);
      catalog_rp.overhead_scale = p.base_family->OverheadShareOf(chip->id);
      std::vector<Caveat> ignored;
      ModelLoad load{m.model, profile, 1.0};
      p.catalog_s = PredictModel(load, catalog_rp, &ignored).latency_ms / 1e3;
    }
    p.article_s =
        2.0 * static_cast<double>(profile->totals.macs) / (**dense * 1e12 * kArticleUtilization);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace analysis
}  // namespace tops
