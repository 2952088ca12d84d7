// The seed article's worked example, reproduced with its own inputs (section 3 and the
// check_hardware output it prints).
#include <gtest/gtest.h>

#include "fmt/format.h"
#include "hw_test_util.h"
#include "tops/error.h"
#include "tops/fit.h"

namespace tops {
namespace {

TEST(ArticleTest, RequiredTopsForResNet18At30FpsInt8) {
  // 1.82 G MACs (torchinfo's rounded count), 30 FPS, INT8.
  EXPECT_NEAR(RequiredTops(1.82e9, 30), 0.1092, 1e-12);
}

TEST(ArticleTest, PrecisionTableFactors) {
  EXPECT_EQ(ArticlePrecisionFactor(Precision::kInt8), 1);
  EXPECT_EQ(ArticlePrecisionFactor(Precision::kFp16), 2);
  EXPECT_EQ(ArticlePrecisionFactor(Precision::kFp32), 4);
  const double fp16 = RequiredTops(1.82e9, 30, ArticlePrecisionFactor(Precision::kFp16));
  const double fp32 = RequiredTops(1.82e9, 30, ArticlePrecisionFactor(Precision::kFp32));
  EXPECT_NEAR(fp16, 0.2184, 1e-12);
  EXPECT_NEAR(fp32, 0.4368, 1e-12);
  // The article prints its table to two decimals.
  EXPECT_EQ(fmt::format("{:.2f}", RequiredTops(1.82e9, 30)), "0.11");
  EXPECT_EQ(fmt::format("{:.2f}", fp16), "0.22");
  EXPECT_EQ(fmt::format("{:.2f}", fp32), "0.44");
}

TEST(ArticleTest, CheckHardwareOnFourTopsChip) {
  ArticleCheck c = CheckHardware(RequiredTops(1.82e9, 30), 4.0, 0.6);
  EXPECT_NEAR(c.required_tops, 0.1092, 1e-12);
  EXPECT_NEAR(c.effective_tops, 2.4, 1e-12);
  EXPECT_TRUE(c.is_sufficient);
  EXPECT_NEAR(c.margin, 2.2908, 1e-12);
}

TEST(ArticleTest, CheckHardwareReportsShortfallAsPositiveMargin) {
  // Article: margin = abs(effective - required), is_sufficient from the sign.
  ArticleCheck c = CheckHardware(0.1092, 0.1, 0.6);
  EXPECT_FALSE(c.is_sufficient);
  EXPECT_NEAR(c.margin, 0.0492, 1e-12);
}

TEST(ArticleTest, ExactResNet18Count) {
  // tests/models/README.md: resnet18 = 1,814,073,344 MACs.
  EXPECT_NEAR(RequiredTops(1814073344.0, 30), 0.10884440064, 1e-12);
  EXPECT_EQ(fmt::format("{:.5f}", RequiredTops(1814073344.0, 30)), "0.10884");
}

TEST(ArticleTest, FitCarriesTheArticleFields) {
  Profile p = testing::TotalsOnly(1820000000);
  std::vector<ModelLoad> loads = {{"resnet18", &p, 30}};
  Chip chip = testing::TestChip(4.0, 0);
  Family family = testing::TestFamily(0.5, 0.1, 0);
  FitOptions o;
  FitResult r = Fit(loads, chip, family, o);
  EXPECT_EQ(r.convention, ArticleConvention::kOwnPeak);
  EXPECT_NEAR(r.required_tops, 0.1092, 1e-12);
  ASSERT_TRUE(r.effective_tops && r.is_sufficient && r.margin);
  EXPECT_NEAR(*r.effective_tops, 2.4, 1e-12);
  EXPECT_TRUE(*r.is_sufficient);
  EXPECT_NEAR(*r.margin, 2.2908, 1e-12);
}

TEST(ArticleTest, FitFallsBackToInt8EquivalentWhenPrecisionPeakUnknown) {
  Profile p = testing::TotalsOnly(1820000000);
  std::vector<ModelLoad> loads = {{"resnet18", &p, 30}};
  Chip chip = testing::TestChip(4.0, 0);  // INT8 peak only
  Family family = testing::TestFamily(0.5, 0.1, 0);
  FitOptions o;
  o.precision = UsePrecision(Precision::kFp16);
  FitResult r = Fit(loads, chip, family, o);
  EXPECT_EQ(r.convention, ArticleConvention::kInt8Equivalent);
  EXPECT_NEAR(r.required_tops, 0.2184, 1e-12);
  EXPECT_FALSE(r.predicted.available);
  ASSERT_FALSE(r.predicted.missing.empty());
  EXPECT_EQ(r.predicted.missing[0].figure, "fp16 dense peak");
}

TEST(ArticleTest, RequireTableMatchesArticle) {
  Profile p = testing::TotalsOnly(1820000000);
  Requirement r = Require({{"resnet18", &p, 30}});
  ASSERT_EQ(r.precisions.size(), 3u);
  EXPECT_NEAR(r.precisions[0].int8_equivalent_tops, 0.1092, 1e-12);
  EXPECT_NEAR(r.precisions[1].int8_equivalent_tops, 0.2184, 1e-12);
  EXPECT_NEAR(r.precisions[2].int8_equivalent_tops, 0.4368, 1e-12);
  // Against each precision's own peak the work is the same 0.1092 T-ops/s.
  EXPECT_NEAR(r.precisions[2].own_tops, 0.1092, 1e-12);
}

TEST(ArticleTest, SeveralModelsAddTheirLoads) {
  Profile a = testing::TotalsOnly(1820000000);
  Profile b = testing::TotalsOnly(300000000);
  Requirement r = Require({{"a", &a, 30}, {"b", &b, 10}});
  EXPECT_NEAR(r.ops_per_second, 2 * 1.82e9 * 30 + 2 * 3e8 * 10, 1);
}

TEST(ArticleTest, BadFrameRateIsAnError) {
  Profile p = testing::TotalsOnly(1);
  EXPECT_THROW(Require({{"m", &p, 0}}), Error);
  EXPECT_THROW(Require({}), Error);
}

}  // namespace
}  // namespace tops
