// The table model and its renderers (src/report): the one number formatter, text handling for
// each output language, the streaming JSON writer against nlohmann's serialiser (an independent
// implementation of the same layout), and one table through every format.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "report/json_writer.h"
#include "report/number.h"
#include "report/sink.h"
#include "report/table.h"
#include "report/text.h"

namespace tops::report {
namespace {

TEST(Number, EveryStyle) {
  EXPECT_EQ("1,814,073,344", Int(1814073344, Style::Commas()));
  EXPECT_EQ("-1,000", Int(-1000, Style::Commas()));
  EXPECT_EQ("-9,223,372,036,854,775,808", Int(INT64_MIN, Style::Commas()));
  EXPECT_EQ("49", Int(49, Style::Plain()));
  EXPECT_EQ("1.81 G", Int(1814073344, Style::Si()));
  EXPECT_EQ("118 MMACs", Int(118013952, Style::Si("MACs")));
  EXPECT_EQ("64", Int(64, Style::Si()));
  EXPECT_EQ("11.7 M", Number(11684712, Style::Si()));
  EXPECT_EQ("44.6 MiB", Number(46738848, Style::Binary()));
  EXPECT_EQ("512 B", Number(512, Style::Binary()));
  EXPECT_EQ("0.1088", Number(0.10884440064, Style::Fixed(4)));
  EXPECT_EQ("137.5", Number(137.5, Style::General()));
  EXPECT_EQ("3e+06", Number(3e6, Style::General()));
  EXPECT_EQ("0", Number(0, Style::Adaptive()));
  EXPECT_EQ("250", Number(249.6, Style::Adaptive()));
  EXPECT_EQ("12.3", Number(12.34, Style::Adaptive()));
  EXPECT_EQ("0.109", Number(0.10884, Style::Adaptive()));
  EXPECT_EQ("1.20e-03", Number(0.0012, Style::Adaptive()));
  EXPECT_EQ("812", Number(812.4, Style::Rounded()));
  EXPECT_EQ("27.4", Number(27.44, Style::Rounded()));
  EXPECT_EQ("0.0121", Number(0.01214, Style::Rounded()));
  EXPECT_EQ("120 ms", Number(120.4, Style::Millis()));
  EXPECT_EQ("12.3 ms", Number(12.34, Style::Millis()));
  EXPECT_EQ("0.045 ms", Number(0.0452, Style::Millis()));
  EXPECT_EQ("45.3%", Number(0.453, Style::Percent(1)));
  EXPECT_EQ("15", Number(15.0, Style::Shortest()));
  EXPECT_EQ("1.5", Number(1.5, Style::Shortest()));
  EXPECT_EQ("457.6 ms", Number(457.63, Style::Duration()));
  EXPECT_EQ("1.23 s", Number(1234.5, Style::Duration()));
  EXPECT_EQ("2253", Number(2253.4, Style::Rate()));
  EXPECT_EQ("19.2", Number(19.24, Style::Rate()));
  EXPECT_EQ("12", Number(12.01, Style::Coord()));
  EXPECT_EQ("0", Number(-0.01, Style::Coord()));
  EXPECT_EQ("0", Number(NAN, Style::Coord()));
  EXPECT_EQ("3.6", CsvNumber(6 * 0.6));
  EXPECT_EQ("1814073344", CsvNumber(1814073344.0));
  EXPECT_EQ("", CsvNumber(std::optional<double>()));
}

TEST(Number, JsonNumbersAreNlohmannsText) {
  for (double v : {0.0, 30.0, 0.6, 1e-7, 123456789012345678.0, -2.5, 1.0 / 3, 6 * 0.6}) {
    std::string out;
    AppendJsonNumber(out, v);
    EXPECT_EQ(nlohmann::json(v).dump(), out) << v;
  }
}

TEST(Text, EscapingPerLanguage) {
  EXPECT_EQ("\"a,b\"", CsvField("a,b"));
  EXPECT_EQ("\"say \"\"hi\"\"\"", CsvField("say \"hi\""));
  EXPECT_EQ("plain", CsvField("plain"));
  EXPECT_EQ("a\\|b &lt;x&gt; \\*y\\* \\`z\\` \\[l] two lines \\\\",
            MarkdownCell("a|b <x> *y* `z` [l] two\nlines \\"));
  EXPECT_EQ("snake_case", MarkdownCell("snake_case"));
  EXPECT_EQ("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", Html("<a href=\"x\">&'"));
  EXPECT_EQ("\xEF\xBF\xBD", Html("\x01"));
}

TEST(Text, ColumnsCountCharactersNotBytes) {
  EXPECT_EQ(5u, Width("héllo"));
  EXPECT_EQ(4u, Width("名前"));  // East Asian wide characters take two cells
  EXPECT_EQ("héllo ", Pad("héllo", 6));
  EXPECT_EQ(" 名前", Pad("名前", 5, true));
  EXPECT_EQ("...conv2", Shorten("layer4.conv2", 8, Clip::kTail));
  EXPECT_EQ("Jetso...", Shorten("Jetson Orin", 8, Clip::kHead));
  EXPECT_EQ("Jetson O", Shorten("Jetson Orin", 8, Clip::kCut));
  EXPECT_EQ("...ünï", Shorten("xxxxxünï", 6, Clip::kTail));  // never inside a character
  EXPECT_EQ("ü...", Shorten("üüüüüü", 4, Clip::kHead));
}

TEST(Text, WrapsWithinTheWidth) {
  std::string out;
  AppendWrapped(out, "  - ", "one two three four", 14);
  EXPECT_EQ("  - one two\n    three four\n", out);
  out.clear();
  AppendWrapped(out, "x: ", "", 10);
  EXPECT_EQ("x: \n", out);
}

// The streaming writer against nlohmann's dump(2) of the same document, built from random
// values including strings with control characters and bytes that are not UTF-8.
TEST(JsonWriter, SameTextAsNlohmann) {
  std::mt19937 rng(7);
  auto random_string = [&] {
    std::string s;
    const int n = static_cast<int>(rng() % 8);
    for (int i = 0; i < n; ++i) {
      switch (rng() % 6) {
        case 0:
          s += static_cast<char>(rng() % 32);  // control
          break;
        case 1:
          s += static_cast<char>(0x80 + rng() % 128);  // lone UTF-8 byte
          break;
        case 2:
          s += "é\"\\/";
          break;
        default:
          s += static_cast<char>('a' + rng() % 26);
      }
    }
    return s;
  };
  for (int round = 0; round < 200; ++round) {
    nlohmann::ordered_json want = nlohmann::ordered_json::object();
    std::ostringstream got_stream;
    {
      Out out(got_stream);
      JsonWriter w(out);
      w.BeginObject();
      const int members = static_cast<int>(rng() % 6);
      for (int m = 0; m < members; ++m) {
        const std::string key = "k" + std::to_string(m) + random_string();
        if (want.contains(key)) continue;
        w.Key(key);
        switch (rng() % 6) {
          case 0: {
            const int64_t v = static_cast<int64_t>(rng()) - (1ll << 31);
            w.Int(v);
            want[key] = v;
            break;
          }
          case 1: {
            const double v = static_cast<double>(rng()) / 977.0;
            w.Real(v);
            want[key] = v;
            break;
          }
          case 2: {
            const std::string v = random_string();
            w.String(v);
            want[key] = v;
            break;
          }
          case 3:
            w.Null();
            want[key] = nullptr;
            break;
          case 4: {
            w.BeginArray();
            nlohmann::ordered_json a = nlohmann::ordered_json::array();
            const int n = static_cast<int>(rng() % 3);
            for (int i = 0; i < n; ++i) {
              w.Bool(i % 2 == 0);
              a.push_back(i % 2 == 0);
            }
            w.EndArray();
            want[key] = a;
            break;
          }
          default: {
            w.BeginObject();
            nlohmann::ordered_json o = nlohmann::ordered_json::object();
            if (rng() % 2) {
              w.Key("inner");
              w.BeginArray();
              w.EndArray();
              o["inner"] = nlohmann::ordered_json::array();
            }
            w.EndObject();
            want[key] = o;
          }
        }
      }
      w.EndObject();
    }
    EXPECT_EQ(want.dump(2, ' ', false, nlohmann::json::error_handler_t::replace), got_stream.str());
  }
}

struct Row {
  std::string name;
  std::optional<int64_t> macs;
  double ms;
  bool best;
};

const Column<Row> kColumns[] = {
    {{.key = "name", .title = "Name", .width = 8, .clip = Clip::kTail},
     [](const Row& r) { return Cell::Text(r.name); }},
    {{.key = "macs",
      .title = "MACs",
      .unit = Unit::kCount,
      .style = Style::Si(),
      .width = 7,
      .right = true},
     [](const Row& r) {
       return std::move(Cell::Int(r.macs, "?").Emphasis(r.best ? Mark::kBest : Mark::kNone));
     }},
    {{.key = "ms", .title = "ms", .unit = Unit::kMs, .formats = kCsv | kJson},
     [](const Row& r) { return Cell::Real(r.ms); }},
};

std::string Render(Format f) {
  std::ostringstream os;
  report::Render(os, f, false, [](Sink& s) {
    s.Rows<Row>(kColumns,
                {{"conv|1", 1814073344, 0.5, true}, {"a \"long, name\"", std::nullopt, 2, false}},
                {.key = "rows"});
  });
  return os.str();
}

TEST(TableModel, OneTableEveryFormat) {
  EXPECT_EQ(
      "Name        MACs\n"
      "conv|1   1.81 G*\n"
      "...name\"       ?\n",
      Render(Format::kTable));
  EXPECT_EQ(
      "| Name | MACs |\n"
      "|---|---:|\n"
      "| conv\\|1 | **1.81 G** |\n"
      "| a \"long, name\" | ? |\n",
      Render(Format::kMarkdown));
  EXPECT_EQ(
      "name,macs,ms\n"
      "conv|1,1814073344,0.5\n"
      "\"a \"\"long, name\"\"\",,2\n",
      Render(Format::kCsv));
  const auto j = nlohmann::json::parse(Render(Format::kJson));
  ASSERT_EQ(2u, j["rows"].size());
  EXPECT_EQ(1814073344, j["rows"][0]["macs"]);
  EXPECT_TRUE(j["rows"][1]["macs"].is_null());
  EXPECT_EQ(2.0, j["rows"][1]["ms"]);
  EXPECT_FALSE(j["rows"][0].contains("MACs"));
}

struct Point {
  std::string name;
  double low, high;
  std::string note;  // empty: none
};

const Column<Point> kRangeColumns[] = {
    {{.key = "low", .unit = Unit::kNumber}, [](const Point& p) { return Cell::Real(p.low); }},
    {{.key = "high", .unit = Unit::kNumber}, [](const Point& p) { return Cell::Real(p.high); }},
};

// A column at least `min_width` wide that grows with its longest cell; a nested one-row table as
// a JSON object; rows trimmed of trailing blanks; an alert in bold in Markdown.
const Column<Point> kPointColumns[] = {
    {{.key = "name", .title = "op", .min_width = 6},
     [](const Point& p) { return Cell::Text(p.name); }},
    {{.key = "range", .formats = kJson},
     [](const Point& p) {
       return Cell::Nested(std::make_shared<Rows<Point>>(
           kRangeColumns, std::vector<Point>{p}, Layout{.formats = kJson, .json_object = true}));
     }},
    {{.key = "high", .title = "high", .unit = Unit::kNumber, .formats = kHuman, .right = true},
     [](const Point& p) {
       return Cell::Real(p.high).Emphasis(p.high > 10 ? Mark::kAlert : Mark::kNone);
     }},
    {{.key = "note", .title = "note", .formats = kHuman, .width = 0, .gap = 3},
     [](const Point& p) { return Cell::Text(p.note); }},
};

std::string RenderPoints(Format f) {
  std::ostringstream os;
  report::Render(os, f, false, [](Sink& s) {
    s.Rows<Point>(kPointColumns, {{"Conv", 1, 2, "ok"}, {"DEPTHWISE_CONV_2D", 3, 40.5, ""}},
                  {.key = "points", .trim = true});
  });
  return os.str();
}

TEST(TableModel, WidthsObjectsTrimAndAlerts) {
  EXPECT_EQ(
      "op                high   note\n"
      "Conv                 2   ok\n"
      "DEPTHWISE_CONV_2D 40.5\n",
      RenderPoints(Format::kTable));
  EXPECT_EQ(
      "| op | high | note |\n"
      "|---|---:|---|\n"
      "| Conv | 2 | ok |\n"
      "| DEPTHWISE_CONV_2D | **40.5** |  |\n",
      RenderPoints(Format::kMarkdown));
  const auto j = nlohmann::json::parse(RenderPoints(Format::kJson));
  ASSERT_EQ(2u, j["points"].size());
  EXPECT_TRUE(j["points"][1]["range"].is_object());
  EXPECT_EQ(3.0, j["points"][1]["range"]["low"]);
  EXPECT_EQ(40.5, j["points"][1]["range"]["high"]);
  EXPECT_FALSE(j["points"][0].contains("note"));
}

}  // namespace
}  // namespace tops::report
