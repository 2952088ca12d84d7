// One layout function per result: the result as rows with typed columns (and the sentences and
// JSON members around them), in document order, for any sink (sink.h). Writers never compute:
// every figure comes from the result or from an analysis function.
#pragma once

#include "report/sink.h"
#include "report/table.h"
#include "tops/output.h"

namespace tops::report {

void Lay(Sink& s, const Profile& profile, const ProfileView& view);
void Lay(Sink& s, const Sweep& sweep);
void Lay(Sink& s, const Requirement& requirement);
void Lay(Sink& s, const FitResult& fit);
void Lay(Sink& s, const RankResult& rank);
void Lay(Sink& s, const Catalog& catalog);
void Lay(Sink& s, const ChipSheet& chip);
void Lay(Sink& s, const WhatifResult& whatif);
void Lay(Sink& s, const CompareResult& compare);
void Lay(Sink& s, const LayerMacs& layer);
void Lay(Sink& s, const std::vector<OpInfo>& ops);

}  // namespace tops::report
