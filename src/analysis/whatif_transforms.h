// The weight-sparsity transform behind SparsifyWeights, also telling how many parameters it
// could prune (the what-if's count of weights left). Internal to src/analysis.
#pragma once

#include <cstdint>

#include "tops/whatif.h"

namespace tops {

// SparsifyWeights without the range check; `eligible_params` (may be null) receives the
// parameters of the layers the sparsity applies to.
Profile Sparsify(const Model& model, const Profile& base, double mac_factor, double storage_factor,
                 int64_t* eligible_params);

}  // namespace tops
