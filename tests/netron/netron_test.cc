// The Netron overlay (`tops profile MODEL --format netron`) checked against the attachment format
// Netron 8.2.8+ reads (docs/netron.md: metadata.Attachment in Netron's source/view.js), as Netron
// would apply it:
//  - a JSON object whose "signature" is "netron:attachment", "metadata" and "metrics" arrays;
//  - each entry has a string "kind" (model, graph, node, value or tensor), a string "target", a
//    string "name" and a "value"; Netron files entries under "kind::target" and keeps the last
//    value per name, so no (kind, target, name) may repeat;
//  - a node entry reaches the node whose name (first line) equals target: the node names are read
//    here from the .onnx with ONNX's own protobuf classes, independently of tops' reader.
// And the numbers: one entry set per node, MACs equal to the JSON profile's, the time shares on a
// chip summing to the whole inference.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "../malformed/run_cli.h"

namespace {

using nlohmann::json;

const std::string kExample = std::string(TOPS_TEST_DIR) + "/../examples/resnet18.onnx";
const std::string kModels = std::string(TOPS_TEST_DIR) + "/models/";

// Node names as ONNX's generated classes parse them.
std::vector<std::string> OnnxNodeNames(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  onnx::ModelProto model;
  EXPECT_TRUE(model.ParseFromIstream(&in)) << path;
  std::vector<std::string> names;
  for (const auto& node : model.graph().node()) names.push_back(node.name());
  return names;
}

json RunJson(const std::string& args) {
  const auto r = tops::testing::RunCli(args);
  EXPECT_EQ(0, r.exit_code) << args << "\n" << r.err;
  return json::parse(r.out);
}

// Netron's view of the file: "kind::target" -> name -> value; fails on what Netron would ignore
// or merge silently.
std::map<std::string, std::map<std::string, json>> AsNetronReadsIt(const json& a) {
  std::map<std::string, std::map<std::string, json>> entries;
  EXPECT_TRUE(a.is_object());
  EXPECT_EQ("netron:attachment", a.value("signature", ""));
  const std::set<std::string> kinds{"model", "graph", "node", "value", "tensor"};
  for (const char* container : {"metadata", "metrics"}) {
    EXPECT_TRUE(a.contains(container) && a[container].is_array()) << container;
    for (const json& e : a[container]) {
      EXPECT_TRUE(e.is_object());
      if (!(e.contains("kind") && e["kind"].is_string())) {
        ADD_FAILURE() << "malformed entry: " << e;
        continue;
      }
      EXPECT_TRUE(kinds.count(e["kind"].get<std::string>())) << e;
      if (!(e.contains("target") && e["target"].is_string())) {
        ADD_FAILURE() << "malformed entry: " << e;
        continue;
      }
      EXPECT_FALSE(e.contains("identifier")) << e;
      if (!(e.contains("name") && e["name"].is_string())) {
        ADD_FAILURE() << "malformed entry: " << e;
        continue;
      }
      if (!(e.contains("value"))) {
        ADD_FAILURE() << "malformed entry: " << e;
        continue;
      }
      EXPECT_TRUE(e["value"].is_number() || e["value"].is_string()) << e;
      if (e.contains("type")) {
        EXPECT_TRUE(e["type"].is_string()) << e;
      }
      const std::string key = std::string(container) + "/" + e["kind"].get<std::string>() +
                              "::" + e["target"].get<std::string>();
      auto& names = entries[key];
      const std::string name = e["name"].get<std::string>();
      EXPECT_FALSE(names.count(name)) << "repeated: " << key << " " << name;
      names[name] = e["value"];
    }
  }
  return entries;
}

TEST(Netron, OverlayOfTheExampleHasEveryNodeWithTheProfileMacs) {
  char path[] = "/tmp/tops_netron_XXXXXX.netron.json";
  const int fd = mkstemps(path, 12);
  ASSERT_GE(fd, 0);
  close(fd);
  const auto r = tops::testing::RunCli({"profile", kExample, "--format", "netron", "-o", path});
  ASSERT_EQ(0, r.exit_code) << r.err;
  EXPECT_EQ("", r.out);  // -o: nothing on stdout
  const json attachment = json::parse(tops::testing::Slurp(path));
  std::remove(path);
  const auto netron = AsNetronReadsIt(attachment);

  const json profile = RunJson("profile " + kExample + " --format json");
  const std::vector<std::string> names = OnnxNodeNames(kExample);
  ASSERT_EQ(names.size(), profile["nodes"].size());
  ASSERT_EQ(49u, names.size());
  size_t node_keys = 0;
  for (const auto& [key, values] : netron) node_keys += key.rfind("metrics/node::", 0) == 0;
  EXPECT_EQ(names.size(), node_keys) << "one entry set per node";
  int64_t sum = 0;
  for (size_t i = 0; i < names.size(); ++i) {
    const json& node = profile["nodes"][i];
    ASSERT_EQ(names[i], node["name"].get<std::string>());
    const auto it = netron.find("metrics/node::" + names[i]);
    ASSERT_NE(netron.end(), it) << names[i] << " has no entry Netron can reach";
    const auto& m = it->second;
    EXPECT_EQ(node["macs"], m.at("macs")) << names[i];
    EXPECT_EQ(node["flops"], m.at("flops")) << names[i];
    EXPECT_EQ(node["params"], m.at("params")) << names[i];
    EXPECT_EQ(node["bytes_read"], m.at("bytes_read")) << names[i];
    EXPECT_EQ(node["bytes_written"], m.at("bytes_written")) << names[i];
    EXPECT_FALSE(m.count("time_ms")) << "no chip, no time";
    sum += m.at("macs").get<int64_t>();
  }
  EXPECT_EQ(profile["totals"]["macs"].get<int64_t>(), sum);
  EXPECT_EQ(1814073344, sum);  // torchvision's 1.81 GMACs for ResNet-18 (README, Accuracy)
  const auto& model = netron.at("metrics/model::");
  EXPECT_EQ(profile["totals"]["macs"], model.at("macs"));
  EXPECT_EQ(profile["totals"]["params"], model.at("params"));
  EXPECT_TRUE(netron.at("metadata/model::").count("tops"));
  EXPECT_EQ(profile["tops"], attachment["tops"]);
}

TEST(Netron, TimeSharesOnAChipAddUpToTheInference) {
  const json a = RunJson("profile " + kExample + " --format netron --chip rk3588");
  const auto netron = AsNetronReadsIt(a);
  const json fit = RunJson("fit " + kExample + " --chip rk3588 --format json");
  const double latency = netron.at("metrics/model::").at("latency_ms").get<double>();
  EXPECT_NEAR(fit["predicted"]["latency_ms"].get<double>(), latency, 1e-3);
  double share = 0, time = 0;
  int timed = 0;
  for (const auto& [key, m] : netron) {
    if (key.rfind("metrics/node::", 0) != 0 || !m.count("time_percent")) continue;
    ++timed;
    share += m.at("time_percent").get<double>();
    time += m.at("time_ms").get<double>();
    const std::string bound = m.at("bound").get<std::string>();
    EXPECT_TRUE(bound == "compute" || bound == "memory" || bound == "overhead") << bound;
  }
  EXPECT_GT(timed, 40);
  // The nodes' times are the inference less the time no layer owns (the per-inference
  // overhead): each share is its time over the whole latency, rounded to 0.01%.
  EXPECT_NEAR(100.0 * time / latency, share, 0.5);
  EXPECT_LE(time, latency + 0.01);
  EXPECT_GT(time, 0.8 * latency);
  EXPECT_NE(std::string::npos,
            netron.at("metadata/model::").at("chip").get<std::string>().find("rk3588"));
}

// Netron reaches nodes by name only: an unnamed node cannot be shown, nodes sharing a name share
// one set of metrics. The overlay leaves the first out, writes the second, and says so.
TEST(Netron, UnnamedAndSharedNamesAreReported) {
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.add_opset_import()->set_version(13);
  auto* g = model.mutable_graph();
  g->set_name("relus");
  auto* in = g->add_input();
  in->set_name("x");
  auto* t = in->mutable_type()->mutable_tensor_type();
  t->set_elem_type(onnx::TensorProto::FLOAT);
  for (int d : {1, 3, 8, 8}) t->mutable_shape()->add_dim()->set_dim_value(d);
  const char* names[] = {"", "dup", "dup", "last"};
  std::string prev = "x";
  for (int i = 0; i < 4; ++i) {
    auto* n = g->add_node();
    n->set_op_type("Relu");
    n->set_name(names[i]);
    n->add_input(prev);
    prev = "t" + std::to_string(i);
    n->add_output(prev);
  }
  g->add_output()->set_name(prev);
  char path[] = "/tmp/tops_netron_XXXXXX.onnx";
  const int fd = mkstemps(path, 5);
  ASSERT_GE(fd, 0);
  close(fd);
  {
    std::ofstream out(path, std::ios::binary);
    ASSERT_TRUE(model.SerializeToOstream(&out));
  }
  const auto r = tops::testing::RunCli({"profile", path, "--format", "netron"});
  std::remove(path);
  ASSERT_EQ(0, r.exit_code) << r.err;
  const auto netron = AsNetronReadsIt(json::parse(r.out));
  std::set<std::string> node_keys;
  for (const auto& [key, values] : netron) {
    if (key.rfind("metrics/node::", 0) == 0) node_keys.insert(key.substr(14));
  }
  EXPECT_EQ((std::set<std::string>{"dup", "last"}), node_keys);
  EXPECT_NE(std::string::npos, r.err.find("1 unnamed node(s) left out, 2 node(s) share a name"))
      << r.err;
  EXPECT_NE(std::string::npos,
            netron.at("metadata/model::").at("not shown").get<std::string>().find("1 node(s)"));
}

TEST(Netron, BadCombinationsAreRefused) {
  for (const char* args :
       {"--format netron --top 3", "--format netron --group-by op", "--chip rk3588",
        "--format netron --chip no_such_chip", "--format netron --chip rk3588 --precision fp7"}) {
    const auto r = tops::testing::RunCli("profile " + kExample + " " + args);
    EXPECT_EQ(2, r.exit_code) << args << "\n" << r.out << r.err;
    EXPECT_NE(std::string::npos, r.err.find("error")) << args;
  }
  // An error leaves no (empty) file behind.
  const std::string out = "/tmp/tops_netron_refused_" + std::to_string(getpid()) + ".json";
  const auto refused = tops::testing::RunCli("profile " + kExample +
                                             " --format netron --chip no_such_chip -o " + out);
  EXPECT_EQ(2, refused.exit_code);
  EXPECT_NE(0, access(out.c_str(), F_OK)) << out << " was created";
  std::remove(out.c_str());
  const auto r =
      tops::testing::RunCli("profile " + kExample + " --format netron -o /nonexistent/x.json");
  EXPECT_EQ(2, r.exit_code);
  EXPECT_NE(std::string::npos, r.err.find("/nonexistent/x.json"));
}

}  // namespace
