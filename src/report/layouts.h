// One layout function per result: the result as rows with typed columns (and the sentences and
// JSON members around them), in document order, for any sink (sink.h). Writers never compute:
// every figure comes from the result or from an analysis function.
#pragma once

#include "report/sink.h"
#include "report/table.h"
#include "tops/llm.h"
#include "tops/netron.h"
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
void Lay(Sink& s, const Overlay& overlay);  // JSON only: the Netron attachment
void Lay(Sink& s, const LlmModelSummary& summary);
void Lay(Sink& s, const LlmEstimates& estimates);
void Lay(Sink& s, const LlmRank& rank);
void Lay(Sink& s, const LlmCalibrationResult& calibration);
void Lay(Sink& s, const CalibrationResult& calibration);

// One row per LLM estimate (CSV, Markdown, and the phases table of the LLM page); `rank` is
// nullptr outside a rank.
struct EstimateRow {
  const LlmEstimate* e;
  const LlmRankRow* rank = nullptr;
};
std::span<const Column<EstimateRow>> EstimateColumns();
// "Parameters: 1,543,714,304 (1.54 G); embedding ..."
std::string LlmFactsLine(const DecoderFacts& facts);

// `tops llm --format html`: one self-contained page (llm_html.cc).
void WriteLlmHtml(std::ostream& os, const LlmEstimates& estimates);

}  // namespace tops::report
