// A workload: the model files a chip must run, each at its own rate, read and profiled under one
// policy (the reader chosen by content, a symbolic batch bound to 1 unless given). It is what
// require, fit, rank, compare and report analyse; the CLI and the Python package build one from
// their options, so every command sees the same models the same way.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tops/fit.h"
#include "tops/graph.h"
#include "tops/profile.h"

namespace tops {

struct WorkloadSpec {
  std::string path;
  std::optional<double> fps;  // this model's rate; nullopt: the workload's
  // A model already read (ReadModelBytes, a Python caller's export in memory): used instead of
  // reading `path`, which then only labels it.
  std::shared_ptr<const Model> model = nullptr;
};

struct WorkloadModel {
  std::string label;  // the path as given
  Model model;
  Profile profile;
  double fps = kDefaultFps;
  std::optional<std::string> batch_symbol;  // the file's symbolic batch, when one was bound
  std::vector<std::string> notes;           // what the policy decided (a batch bound to 1)
};

class Workload {
 public:
  // Throws tops::Error for a rate that is not positive, an unreadable model, or options that
  // name an input or dim no model has.
  static Workload Load(const std::vector<WorkloadSpec>& specs, const ProfileOptions& options,
                       double fps = kDefaultFps);

  const std::vector<std::unique_ptr<WorkloadModel>>& models() const { return models_; }
  // One load per model, pointing into this workload (valid while it lives).
  std::vector<ModelLoad> Loads() const;
  // The precision policy (ChoosePrecision) over these models.
  PrecisionChoice Precision(std::optional<tops::Precision> asked) const;

 private:
  std::vector<std::unique_ptr<WorkloadModel>> models_;
};

// "int8", "fp16", ... as a Precision; throws tops::Error listing the names otherwise.
Precision PrecisionNamed(std::string_view name);

}  // namespace tops
