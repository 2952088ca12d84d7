// Parameter counts from config.json against the publishers' counts
// (tests/llm/published_params.yaml): the decoder graph's learned parameters must equal them
// exactly.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>

#include "io/hf_config_reader.h"
#include "tops/llm.h"
#include "tops/profile.h"
#include "tops/read.h"

namespace tops {
namespace {

const std::string kDir = std::string(TOPS_TEST_DIR) + "/llm/";

TEST(LlmParams, ConfigCountsEqualPublishedCounts) {
  YAML::Node doc = YAML::LoadFile(kDir + "published_params.yaml");
  int checked = 0;
  int exact = 0;  // equal to the publisher's total as printed, with no explained difference
  for (const auto& m : doc["models"]) {
    const std::string config = m["config"].as<std::string>();
    SCOPED_TRACE(config);
    Model model = ReadModel(kDir + "configs/" + config);
    DecoderFacts f = InspectDecoder(model);
    if (m["printed"]) {  // llama.cpp prints billions with two decimals
      char text[32];
      std::snprintf(text, sizeof text, "%.2f B", static_cast<double>(f.params) / 1e9);
      EXPECT_EQ(text, m["printed"].as<std::string>());
    } else if (m["kind"] && m["kind"].as<std::string>() == "non_embedding") {
      EXPECT_EQ(f.params - f.embedding_params, m["count"].as<int64_t>());
    } else {
      const int64_t adjust = m["adjust"] ? m["adjust"].as<int64_t>() : 0;
      EXPECT_EQ(f.params + adjust, m["count"].as<int64_t>()) << m["model"].as<std::string>();
      exact += adjust == 0 && f.params == m["count"].as<int64_t>();
    }
    // The profile's own count agrees: rotary tables are inputs, not initializers.
    Profile p = ProfileModel(model, {{},
                                     {{"batch_size", 1},
                                      {"sequence_length", 1},
                                      {"past_sequence_length", 0},
                                      {"total_sequence_length", 1}}});
    EXPECT_EQ(p.totals.params, f.params);
    ++checked;
  }
  EXPECT_GE(checked, 15);
  EXPECT_GE(exact, 15);
}

}  // namespace
}  // namespace tops
