// Workload loading: read by content, batch policy, per-model rates (workload.h).
#include "tops/workload.h"

#include <cmath>

#include "tops/error.h"
#include "tops/read.h"

namespace tops {

Workload Workload::Load(const std::vector<WorkloadSpec>& specs, const ProfileOptions& options,
                        double fps) {
  if (!(fps > 0) || !std::isfinite(fps)) throw Error("the frame rate must be a positive number");
  if (specs.empty()) throw Error("no model given");
  Workload w;
  for (const WorkloadSpec& spec : specs) {
    const double rate = spec.fps.value_or(fps);
    if (!(rate > 0) || !std::isfinite(rate)) {
      throw Error("'" + spec.path + "': the frame rate must be a positive number");
    }
    auto m = std::make_unique<WorkloadModel>();
    m->label = spec.path;
    m->fps = rate;
    m->model = spec.model ? *spec.model : ReadModel(spec.path);
    BatchBinding batch = BindBatch(m->model, options);
    m->batch_symbol = batch.symbol;
    if (!batch.note.empty()) m->notes.push_back(batch.note);
    m->profile = ProfileModel(m->model, batch.options);
    w.models_.push_back(std::move(m));
  }
  return w;
}

std::vector<ModelLoad> Workload::Loads() const {
  std::vector<ModelLoad> loads;
  for (const auto& m : models_) loads.push_back(ModelLoad{m->label, &m->profile, m->fps});
  return loads;
}

PrecisionChoice Workload::Precision(std::optional<tops::Precision> asked) const {
  return ChoosePrecision(Loads(), asked);
}

Precision PrecisionNamed(std::string_view name) {
  auto p = ParsePrecision(name);
  if (!p) {
    throw Error("unknown precision '" + std::string(name) + "' (int4, int8, fp16, bf16 or fp32)");
  }
  return *p;
}

}  // namespace tops
