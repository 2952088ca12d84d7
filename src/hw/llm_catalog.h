// The LLM part of the chip catalog (llm_runtimes, llm_families): parsed from the same YAML files
// as the chips, checked against them once every file is loaded.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>

#include "tops/chip.h"

namespace tops {

// The catalog's figure reader ({value, status, source, how, note}), for the LLM sections.
Figure ParseCatalogFigure(const YAML::Node& node, const std::string& label, const std::string& what,
                          const std::string& id, const std::string& field,
                          const std::string& default_source);

void ParseLlmSections(const YAML::Node& root, const std::string& label,
                      std::map<std::string, LlmRuntime>& runtimes,
                      std::map<std::string, LlmFamily>& families);
// Every chip a runtime lists exists; every family names a known runtime.
void ValidateLlmSections(const Catalog& catalog);

}  // namespace tops
