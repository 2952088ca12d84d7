#include "tops/formulas.h"

#include <gtest/gtest.h>

#include "tops/error.h"

namespace tops {
namespace {

TEST(Formulas, ArticleConv1) {
  // The seed article: conv2d_macs(3, 64, 7, 112) for ResNet's first conv.
  EXPECT_EQ(Conv2dMacs(3, 64, 7, 7, 112, 112), 118013952);
  EXPECT_EQ(3LL * 64 * 7 * 7 * 112 * 112, 118013952);
}

TEST(Formulas, ResNet18LayersFromReferenceTable) {
  // ref/resnet18.ort.json: layer1 3x3 convs 64->64 at 56x56, fc 512->1000.
  EXPECT_EQ(Conv2dMacs(64, 64, 3, 3, 56, 56), 115605504);
  EXPECT_EQ(LinearMacs(512, 1000), 512000);
  // layer2.0.downsample: 1x1 conv 64->128 at 28x28, stride 2.
  EXPECT_EQ(Conv2dMacs(64, 128, 1, 1, 28, 28), 6422528);
}

TEST(Formulas, DepthwiseEqualsGroupedConv) {
  EXPECT_EQ(DepthwiseMacs(32, 3, 3, 112, 112), Conv2dMacs(32, 32, 3, 3, 112, 112, 32));
  EXPECT_EQ(DepthwiseMacs(32, 3, 3, 112, 112), 32LL * 9 * 112 * 112);
}

TEST(Formulas, MatMulAndBatch) {
  EXPECT_EQ(MatMulMacs(128, 64, 128, 4), 4LL * 128 * 64 * 128);
  EXPECT_EQ(LinearMacs(256, 1000, 32), 32LL * 256 * 1000);
}

TEST(Formulas, RejectsBadSizesAndOverflow) {
  EXPECT_THROW(Conv2dMacs(0, 64, 7, 7, 112, 112), Error);
  EXPECT_THROW(Conv2dMacs(3, 64, 7, 7, 112, 112, 2), Error);  // groups must divide cin
  EXPECT_THROW(MatMulMacs(1LL << 40, 1LL << 40, 1LL << 40), Error);
}

}  // namespace
}  // namespace tops
