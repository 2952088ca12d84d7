// What a fit and a rank share: the fit's JSON members (a rank's rows are fits), and the rows of
// the article's check, the roofline's prediction and the verdict, one per model on a chip (fit's
// CSV) or one per chip (rank).
#pragma once

#include "report/layouts.h"

namespace tops::report {

// The fit's JSON members (fit_layout.cc).
void FitFields(Sink& s, const FitResult& r);
// Fit's CSV: one row per model of the prediction (rank_layout.cc).
void FitCsv(Sink& s, const FitResult& r);

}  // namespace tops::report
