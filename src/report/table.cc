// Cells and the text people read in them (see table.h).
#include "report/table.h"

namespace tops::report {

Cell& Cell::operator=(Cell&& o) noexcept {
  type_ = o.type_;
  mark_ = o.mark_;
  bool_ = o.bool_;
  owns_ = o.owns_;
  why_ = o.why_;
  int_ = o.int_;
  real_ = o.real_;
  owned_ = std::move(o.owned_);
  text_ = owns_ ? std::string_view(owned_) : o.text_;
  shape_ = o.shape_;
  list_ = std::move(o.list_);
  reals_ = o.reals_;
  rows_ = std::move(o.rows_);
  return *this;
}

Style ColumnSpec::human_style() const {
  if (style) return *style;
  switch (unit) {
    case Unit::kCount:
      return Style::Commas();
    case Unit::kBytes:
      return Style::Binary();
    case Unit::kMs:
      return Style::Fixed(3);
    case Unit::kTops:
      return Style::Fixed(4);
    case Unit::kRatio:
      return Style::Percent(1);
    case Unit::kNumber:
    case Unit::kText:
    case Unit::kBool:
    case Unit::kShape:
    case Unit::kList:
      break;
  }
  return Style::General();
}

namespace {

void AppendShape(std::string& out, const Shape& s) {
  if (!s.rank_known) {
    out += '?';
    return;
  }
  out += '[';
  for (size_t i = 0; i < s.dims.size(); ++i) {
    if (i) out += ", ";
    const Dim& d = s.dims[i];
    if (d.known()) {
      AppendInt(out, d.value, Style::Plain());
    } else {
      out += d.ToString();
    }
  }
  out += ']';
}

}  // namespace

std::string ShapeText(const Shape& s) {
  std::string out;
  AppendShape(out, s);
  return out;
}

void AppendShapes(std::string& out, const std::vector<OutputInfo>& outputs) {
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (i) out += ' ';
    AppendShape(out, outputs[i].shape);
  }
}

void AppendHuman(std::string& out, const Cell& cell, const ColumnSpec& column) {
  switch (cell.type()) {
    case Cell::Type::kAbsent:
      out += cell.why() ? cell.why() : column.absent;
      return;
    case Cell::Type::kInt:
      if (column.zero && cell.int_value() == 0) {
        out += column.zero;
      } else {
        AppendInt(out, cell.int_value(), column.human_style());
      }
      return;
    case Cell::Type::kReal:
      AppendNumber(out, cell.real(), column.human_style());
      return;
    case Cell::Type::kBool:
      out += cell.boolean() ? column.yes : column.no;
      return;
    case Cell::Type::kText:
      out += cell.text();
      return;
    case Cell::Type::kShape:
      AppendShapes(out, cell.shape());
      return;
    case Cell::Type::kList:
      if (cell.list().empty()) {
        out += column.absent;
      } else {
        out += Join(cell.list(), column.join);
      }
      return;
    case Cell::Type::kReals:
      if (cell.reals().empty()) out += column.absent;
      for (size_t i = 0; i < cell.reals().size(); ++i) {
        if (i) out += column.join;
        AppendNumber(out, cell.reals()[i], column.human_style());
      }
      return;
    case Cell::Type::kRows:
      return;
  }
}

std::string Human(const Cell& cell, const ColumnSpec& column) {
  std::string out;
  AppendHuman(out, cell, column);
  return out;
}

}  // namespace tops::report
