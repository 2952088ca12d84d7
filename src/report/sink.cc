// The four renderers of the table model (see sink.h).
#include "report/sink.h"

#include <algorithm>

#include "report/json_writer.h"
#include "tops/version.h"

namespace tops::report {
namespace {

// Indices of the columns a format shows.
std::vector<size_t> Shown(const Table& t, Formats f) {
  std::vector<size_t> cols;
  for (size_t c = 0; c < t.width(); ++c) {
    if (t.column(c).formats & f) cols.push_back(c);
  }
  return cols;
}

// ---- terminal --------------------------------------------------------------------------------

constexpr const char* kBold = "\033[1m";
constexpr const char* kYellow = "\033[1;33m";
constexpr const char* kRed = "\033[31m";
constexpr const char* kReset = "\033[0m";

class TerminalSink final : public Sink {
 public:
  TerminalSink(Out& out, bool color) : out_(out), color_(color) {}

  bool Reads() const override { return true; }
  void Say(const Prose& p) override {
    out_.text += p.terminal;
    out_.Pace();
  }

  void Table(const report::Table& t) override {
    if (!(t.layout.formats & kTerminal)) return;
    const std::vector<size_t> cols = Shown(t, kTerminal);
    std::vector<size_t> width(cols.size());
    bool measure = false;
    for (size_t i = 0; i < cols.size(); ++i) {
      const ColumnSpec& c = t.column(cols[i]);
      measure |= c.width == kAutoWidth;
      width[i] = c.width == kAutoWidth
                     ? std::max(Width(c.title), static_cast<size_t>(std::max(0, c.min_width)))
                     : static_cast<size_t>(c.width);
    }
    // Columns as wide as their widest cell: every row's text first, then the table. The texts
    // sit end to end in one string (cell k is [ends[k - 1], ends[k]) of it).
    std::string texts;
    std::vector<size_t> ends;
    auto cell_text = [&](size_t k) {
      const size_t begin = k ? ends[k - 1] : 0;
      return std::string_view(texts).substr(begin, ends[k] - begin);
    };
    if (measure) {
      ends.reserve(t.size() * cols.size());
      for (size_t r = 0; r < t.size(); ++r) {
        for (size_t i = 0; i < cols.size(); ++i) {
          const ColumnSpec& c = t.column(cols[i]);
          AppendText(texts, c, t.Get(r, cols[i]));
          ends.push_back(texts.size());
          if (c.width == kAutoWidth)
            width[i] = std::max(width[i], Width(cell_text(ends.size() - 1)));
        }
      }
    }
    if (t.layout.header) Header(t, cols, width);
    for (size_t r = 0; r < t.size(); ++r) {
      out_.text += t.layout.indent;
      for (size_t i = 0; i < cols.size(); ++i) {
        const ColumnSpec& c = t.column(cols[i]);
        Gap(t, c, i);
        if (measure) {
          AppendPadded(out_.text, cell_text(r * cols.size() + i), width[i], c.right);
          continue;
        }
        const Cell cell = t.Get(r, cols[i]);
        const char* paint = !color_                       ? nullptr
                            : cell.mark() == Mark::kHot   ? kYellow
                            : cell.mark() == Mark::kAlert ? kRed
                                                          : nullptr;
        if (paint) out_.text += paint;
        AppendPadded(out_.text, Text(c, cell), width[i], c.right);
        if (paint) out_.text += kReset;
      }
      if (t.layout.trim) TrimLine();
      out_.text += '\n';
      out_.Pace();
    }
  }

 private:
  void TrimLine() {
    const size_t end = out_.text.find_last_not_of(' ');
    out_.text.resize(end == std::string::npos ? 0 : end + 1);
  }

  void Gap(const report::Table& t, const ColumnSpec& c, size_t i) {
    if (i) out_.text.append(static_cast<size_t>(c.gap >= 0 ? c.gap : t.layout.gap), ' ');
  }

  // A cell as the column shows it: shortened, then marked.
  static std::string Text(const ColumnSpec& c, const Cell& cell) {
    std::string s = Human(cell, c);
    if (c.clip != Clip::kNone) {
      s = Shorten(s, static_cast<size_t>(c.clip_width ? c.clip_width : c.width), c.clip);
    }
    if (cell.mark() == Mark::kBest) s += '*';
    return s;
  }
  // The same, appended to `out`.
  static void AppendText(std::string& out, const ColumnSpec& c, const Cell& cell) {
    if (c.clip != Clip::kNone) {
      out += Text(c, cell);
      return;
    }
    AppendHuman(out, cell, c);
    if (cell.mark() == Mark::kBest) out += '*';
  }

  void Header(const report::Table& t, const std::vector<size_t>& cols,
              const std::vector<size_t>& width) {
    std::string line, units;
    size_t total = 0;
    for (size_t i = 0; i < cols.size(); ++i) {
      const ColumnSpec& c = t.column(cols[i]);
      if (i) {
        const size_t gap = static_cast<size_t>(c.gap >= 0 ? c.gap : t.layout.gap);
        line.append(gap, ' ');
        units.append(gap, ' ');
        total += gap;
      }
      AppendPadded(line, c.title, width[i], c.right);
      AppendPadded(units, c.unit_line, width[i], c.right);
      total += width[i];
    }
    out_.text += t.layout.indent;
    if (color_) out_.text += kBold;
    out_.text += line;
    if (color_) out_.text += kReset;
    out_.text += '\n';
    units.erase(units.find_last_not_of(' ') + 1);
    if (!units.empty()) out_.text += std::string(t.layout.indent) + units + "\n";
    if (t.layout.rule) out_.text += std::string(total, t.layout.rule) + "\n";
  }

  Out& out_;
  bool color_;
};

// ---- Markdown --------------------------------------------------------------------------------

class MarkdownSink final : public Sink {
 public:
  explicit MarkdownSink(Out& out) : out_(out) {}

  bool Reads() const override { return true; }
  void Say(const Prose& p) override {
    out_.text += p.markdown;
    out_.Pace();
  }

  void Table(const report::Table& t) override {
    if (!(t.layout.formats & kMarkdown)) return;
    const std::vector<size_t> cols = Shown(t, kMarkdown);
    std::vector<std::string> head;
    for (size_t c : cols) head.push_back(MarkdownCell(t.column(c).markdown_title()));
    std::vector<bool> right;
    for (size_t c : cols) right.push_back(t.column(c).markdown_right());
    std::vector<size_t> width(cols.size(), 0);
    // Padded: every cell's text first (end to end in one string, cell k is
    // [ends[k - 1], ends[k]) of it), for the widths.
    std::string texts;
    std::vector<size_t> ends;
    auto cell_text = [&](size_t k) {
      const size_t begin = k ? ends[k - 1] : 0;
      return std::string_view(texts).substr(begin, ends[k] - begin);
    };
    if (t.layout.md_padded) {
      for (size_t i = 0; i < cols.size(); ++i) width[i] = Width(head[i]);
      ends.reserve(t.size() * cols.size());
      std::string human;
      for (size_t r = 0; r < t.size(); ++r) {
        for (size_t i = 0; i < cols.size(); ++i) {
          AppendText(texts, t.column(cols[i]), t.Get(r, cols[i]), human);
          ends.push_back(texts.size());
          width[i] = std::max(width[i], Width(cell_text(ends.size() - 1)));
        }
      }
    }
    auto row = [&](auto&& text_of) {
      out_.text += '|';
      for (size_t i = 0; i < cols.size(); ++i) {
        out_.text += ' ';
        AppendPadded(out_.text, text_of(i), width[i], right[i]);
        out_.text += " |";
      }
      out_.text += '\n';
      out_.Pace();
    };
    // A column without a title has a header cell of one space: "| total | exact | |".
    out_.text += '|';
    for (size_t i = 0; i < cols.size(); ++i) {
      if (head[i].empty() && !t.layout.md_padded) {
        out_.text += " |";
        continue;
      }
      out_.text += ' ';
      AppendPadded(out_.text, head[i], width[i], right[i]);
      out_.text += " |";
    }
    out_.text += '\n';
    out_.text += '|';
    for (size_t i = 0; i < cols.size(); ++i) {
      if (t.layout.md_padded) {
        out_.text +=
            right[i] ? std::string(width[i] + 1, '-') + ":" : std::string(width[i] + 2, '-');
        out_.text += '|';
      } else {
        out_.text += right[i] ? (t.layout.md_short_rule ? "--:|" : "---:|") : "---|";
      }
    }
    out_.text += '\n';
    for (size_t r = 0; r < t.size(); ++r) {
      if (t.layout.md_padded) {
        row([&](size_t i) { return cell_text(r * cols.size() + i); });
      } else {
        row([&](size_t i) { return Text(t.column(cols[i]), t.Get(r, cols[i])); });
      }
    }
  }

 private:
  static std::string Text(const ColumnSpec& c, const Cell& cell) {
    std::string s = c.markdown_raw ? Human(cell, c) : MarkdownCell(Human(cell, c));
    if (cell.mark() == Mark::kBest || cell.mark() == Mark::kAlert) return "**" + s + "**";
    if (cell.mark() == Mark::kSummary) return "*" + s + "*";
    return s;
  }
  // The same, appended to `out`; `human` is scratch space reused from cell to cell.
  static void AppendText(std::string& out, const ColumnSpec& c, const Cell& cell,
                         std::string& human) {
    const char* around = cell.mark() == Mark::kBest || cell.mark() == Mark::kAlert ? "**"
                         : cell.mark() == Mark::kSummary                           ? "*"
                                                                                   : "";
    out += around;
    if (c.markdown_raw) {
      AppendHuman(out, cell, c);
    } else {
      human.clear();
      AppendHuman(human, cell, c);
      AppendMarkdownCell(out, human);
    }
    out += around;
  }

  Out& out_;
};

// ---- CSV -------------------------------------------------------------------------------------

class CsvSink final : public Sink {
 public:
  explicit CsvSink(Out& out) : out_(out) {}

  // One header row, then one record per row, ending in "\n" (not RFC 4180's CRLF: the files are
  // read by scripts and spreadsheets on every platform, which accept both).
  void Table(const report::Table& t) override {
    if (!(t.layout.formats & kCsv)) return;
    const std::vector<size_t> cols = Shown(t, kCsv);
    for (size_t i = 0; i < cols.size(); ++i) {
      if (i) out_.text += ',';
      AppendCsvField(out_.text, t.column(cols[i]).key);
    }
    out_.text += '\n';
    std::string field;
    for (size_t r = 0; r < t.size(); ++r) {
      for (size_t i = 0; i < cols.size(); ++i) {
        if (i) out_.text += ',';
        const Cell cell = t.Get(r, cols[i]);
        switch (cell.type()) {
          case Cell::Type::kAbsent:
            break;
          case Cell::Type::kInt:
            AppendInt(out_.text, cell.int_value(), Style::Plain());
            break;
          case Cell::Type::kReal:
            out_.text += CsvNumber(cell.real());
            break;
          case Cell::Type::kBool:
            out_.text += cell.boolean() ? "true" : "false";
            break;
          case Cell::Type::kText:
            AppendCsvField(out_.text, cell.text());
            break;
          case Cell::Type::kShape:
            field.clear();
            AppendShapes(field, cell.shape());
            AppendCsvField(out_.text, field);
            break;
          case Cell::Type::kList:
            AppendCsvField(out_.text, Join(cell.list(), t.column(cols[i]).csv_join));
            break;
          case Cell::Type::kReals: {
            field.clear();
            const auto& v = cell.reals();
            for (size_t k = 0; k < v.size(); ++k) {
              if (k) field += t.column(cols[i]).csv_join;
              field += CsvNumber(v[k]);
            }
            AppendCsvField(out_.text, field);
            break;
          }
          case Cell::Type::kRows:
            break;
        }
      }
      out_.text += '\n';
      out_.Pace();
    }
  }

 private:
  Out& out_;
};

// ---- JSON ------------------------------------------------------------------------------------

class JsonSink final : public Sink {
 public:
  explicit JsonSink(Out& out) : out_(out), json_(out) { json_.BeginObject(); }
  void Finish() override {
    json_.EndObject();
    out_.text += '\n';
  }

  void Field(std::string_view key, const Cell& value) override {
    json_.Key(key);
    Value(value);
  }
  void Open(std::string_view key) override {
    if (!key.empty()) json_.Key(key);
    json_.BeginObject();
    open_.push_back(true);
  }
  void OpenList(std::string_view key) override {
    if (!key.empty()) json_.Key(key);
    json_.BeginArray();
    open_.push_back(false);
  }
  void Close() override {
    open_.back() ? json_.EndObject() : json_.EndArray();
    open_.pop_back();
  }

  void Table(const report::Table& t) override {
    if (!(t.layout.formats & kJson)) return;
    std::vector<size_t> cols = Shown(t, kJson);
    if (t.layout.json_sorted) {
      std::stable_sort(cols.begin(), cols.end(),
                       [&](size_t a, size_t b) { return t.column(a).key < t.column(b).key; });
    }
    if (!t.layout.key.empty()) json_.Key(t.layout.key);
    if (t.layout.json_object) {
      if (t.size() == 0) return json_.Null();
      return Object(t, cols, 0);
    }
    json_.BeginArray();
    for (size_t r = 0; r < t.size(); ++r) {
      Object(t, cols, r);
      out_.Pace();
    }
    json_.EndArray();
  }

 private:
  void Value(const Cell& v) {
    switch (v.type()) {
      case Cell::Type::kAbsent:
        return json_.Null();
      case Cell::Type::kInt:
        return json_.Int(v.int_value());
      case Cell::Type::kReal:
        return json_.Real(v.real());
      case Cell::Type::kBool:
        return json_.Bool(v.boolean());
      case Cell::Type::kText:
        return json_.String(v.text());
      case Cell::Type::kShape:
        json_.BeginArray();
        for (const OutputInfo& o : v.shape()) Tensor(o);
        return json_.EndArray();
      case Cell::Type::kList:
        json_.BeginArray();
        for (const std::string& s : v.list()) json_.String(s);
        return json_.EndArray();
      case Cell::Type::kReals:
        json_.BeginArray();
        for (double d : v.reals()) json_.Real(d);
        return json_.EndArray();
      case Cell::Type::kRows:
        return Table(v.rows());
    }
  }

  void Object(const report::Table& t, const std::vector<size_t>& cols, size_t r) {
    json_.BeginObject();
    for (size_t c : cols) {
      const Cell cell = t.Get(r, c);
      if (cell.type() == Cell::Type::kAbsent && t.column(c).json_omit_absent) continue;
      json_.Key(t.column(c).key);
      Value(cell);
    }
    json_.EndObject();
  }

  // {"dtype", "name", "shape"}: a dim is an integer, a string for a symbol, null when unknown;
  // the shape is null when even its rank is unknown.
  void Tensor(const OutputInfo& o) {
    json_.BeginObject();
    json_.Key("dtype");
    json_.String(DTypeName(o.dtype));
    json_.Key("name");
    json_.String(o.name);
    json_.Key("shape");
    if (!o.shape.rank_known) {
      json_.Null();
    } else {
      json_.BeginArray();
      for (const Dim& d : o.shape.dims) {
        if (d.known()) {
          json_.Int(d.value);
        } else if (d.symbolic()) {
          json_.String(d.symbol);
        } else {
          json_.Null();
        }
      }
      json_.EndArray();
    }
    json_.EndObject();
  }

  Out& out_;
  JsonWriter json_;
  std::vector<bool> open_;
};

}  // namespace

std::unique_ptr<Sink> MakeSink(Format format, Out& out, bool color) {
  switch (format) {
    case Format::kTable:
      return std::make_unique<TerminalSink>(out, color);
    case Format::kMarkdown:
      return std::make_unique<MarkdownSink>(out);
    case Format::kCsv:
      return std::make_unique<CsvSink>(out);
    case Format::kJson:
      return std::make_unique<JsonSink>(out);
  }
  return nullptr;
}

void Render(std::ostream& os, Format format, bool color, const std::function<void(Sink&)>& layout) {
  Out out(os);
  const std::unique_ptr<Sink> sink = MakeSink(format, out, color);
  layout(*sink);
  sink->Finish();
}

void BuildIdentity(Sink& s, bool sorted) {
  const BuildInfo& b = GetBuildInfo();
  s.Open("tops");
  if (!sorted) s.Field("version", Cell::Text(b.version));
  s.Field("catalog", Cell::Text(b.catalog));
  s.Field("revision", Cell::Text(b.revision));
  if (sorted) s.Field("version", Cell::Text(b.version));
  s.Close();
}

Prose Bullets(std::string_view title, const std::vector<std::string>& items) {
  Prose p;
  if (items.empty()) return p;
  p.terminal = "\n" + std::string(title) + ":\n";
  p.markdown = "\n" + std::string(title) + ":\n\n";
  for (const auto& i : items) {
    p.terminal += "  - " + i + "\n";
    p.markdown += "- " + MarkdownCell(i) + "\n";
  }
  return p;
}

}  // namespace tops::report
