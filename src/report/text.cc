// Escaping, padding, shortening and wrapping (see text.h).
#include "report/text.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>

namespace tops::report {
namespace {

// Bytes a JSON string holds as they are: printable ASCII but the quote and the backslash.
constexpr auto kJsonPlain = [] {
  std::array<bool, 256> plain{};
  for (int b = 0x20; b < 0x7F; ++b) plain[static_cast<size_t>(b)] = b != '"' && b != '\\';
  return plain;
}();

bool JsonPlain(std::string_view s) {
  for (char c : s) {
    if (!kJsonPlain[static_cast<unsigned char>(c)]) return false;
  }
  return true;
}

// Bytes AppendMarkdownCell replaces or escapes.
constexpr auto kMarkdownSpecial = [] {
  std::array<bool, 256> special{};
  for (unsigned char c : std::string_view("|<>&\n\r*`[\\")) special[c] = true;
  return special;
}();

bool Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The code point starting at s[i] (a lone or broken byte reads as itself) and its length.
char32_t Decode(std::string_view s, size_t i, size_t* len) {
  const auto b = static_cast<unsigned char>(s[i]);
  int n = b < 0x80 ? 0 : b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
  char32_t cp = n == 0 ? b : n == 1 ? b & 0x1F : n == 2 ? b & 0x0F : b & 0x07;
  size_t k = 1;
  for (; n > 0 && i + k < s.size() && Continuation(s[i + k]); --n, ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  }
  *len = k;
  return cp;
}

// Terminal cells of one code point: East Asian wide and fullwidth characters take two
// (Unicode's East Asian Width property, main blocks), every other character one.
size_t Cells(char32_t c) {
  const bool wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
                    (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
                    (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
                    (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
                    (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
  return wide ? 2 : 1;
}

// Byte offset in `s` where the first `width` terminal cells end (never inside a character).
size_t PrefixBytes(std::string_view s, size_t width) {
  size_t i = 0, used = 0;
  while (i < s.size()) {
    size_t len;
    const size_t w = Cells(Decode(s, i, &len));
    if (used + w > width) break;
    used += w;
    i += len;
  }
  return i;
}

// Byte offset in `s` where its last `width` terminal cells start.
size_t SuffixStart(std::string_view s, size_t width) {
  std::vector<size_t> starts;
  for (size_t i = 0, len; i < s.size(); i += len) {
    Decode(s, i, &len);
    starts.push_back(i);
  }
  size_t used = 0, start = s.size();
  for (auto it = starts.rbegin(); it != starts.rend(); ++it) {
    size_t len;
    const size_t w = Cells(Decode(s, *it, &len));
    if (used + w > width) break;
    used += w;
    start = *it;
  }
  return start;
}

}  // namespace

void AppendCsvField(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string CsvField(std::string_view s) {
  std::string out;
  AppendCsvField(out, s);
  return out;
}

void AppendMarkdownCell(std::string& out, std::string_view s) {
  // Most cells need no escape: appended whole.
  if (std::none_of(s.begin(), s.end(),
                   [](char c) { return kMarkdownSpecial[static_cast<unsigned char>(c)]; })) {
    out += s;
    return;
  }
  for (char c : s) {
    switch (c) {
      case '|':
        out += "\\|";
        break;
      case '<':
      case '>':
      case '&':
        out += HtmlEntity(c);
        break;
      case '\n':
      case '\r':
        out += ' ';
        break;
      case '*':
      case '`':
      case '[':
      case '\\':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
}

std::string MarkdownCell(std::string_view s) {
  std::string out;
  AppendMarkdownCell(out, s);
  return out;
}

const char* HtmlEntity(char c) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '\'':
      return "&#39;";
    default:
      return nullptr;
  }
}

void AppendHtml(std::string& out, std::string_view s) {
  for (char c : s) {
    if (const char* entity = HtmlEntity(c)) {
      out += entity;
    } else if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') {
      out += "\xEF\xBF\xBD";  // U+FFFD
    } else {
      out += c;
    }
  }
}

std::string Html(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  AppendHtml(out, s);
  return out;
}

void AppendJsonString(std::string& out, std::string_view s) {
  if (JsonPlain(s)) {
    out += '"';
    out += s;
    out += '"';
    return;
  }
  // Escapes, and UTF-8 checking with U+FFFD for bad bytes, exactly as nlohmann's serialiser
  // does (the JSON outputs have always been its text).
  out +=
      nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void AppendJsonString(std::string& out, std::string_view lead, std::string_view s,
                      std::string_view tail) {
  char buf[256];
  const size_t n = lead.size() + s.size() + tail.size() + 2;
  if (n > sizeof buf || !JsonPlain(s)) {
    out += lead;
    AppendJsonString(out, s);
    out += tail;
    return;
  }
  char* p = std::copy(lead.begin(), lead.end(), buf);
  *p++ = '"';
  p = std::copy(s.begin(), s.end(), p);
  *p++ = '"';
  std::copy(tail.begin(), tail.end(), p);
  out.append(buf, n);
}

size_t Width(std::string_view s) {
  // ASCII runs eight bytes at a time: a byte without its high bit is one cell.
  size_t ascii = 0;
  for (uint64_t word; ascii + 8 <= s.size(); ascii += 8) {
    std::memcpy(&word, s.data() + ascii, 8);
    if (word & 0x8080808080808080ull) break;
  }
  size_t w = ascii;
  for (size_t i = ascii, len; i < s.size(); i += len) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {  // ASCII: one cell, no decoding
      ++w;
      len = 1;
      continue;
    }
    w += Cells(Decode(s, i, &len));
  }
  return w;
}

void AppendPadded(std::string& out, std::string_view s, size_t width, bool right) {
  const size_t w = Width(s);
  if (right && w < width) out.append(width - w, ' ');
  out += s;
  if (!right && w < width) out.append(width - w, ' ');
}

std::string Pad(std::string_view s, size_t width, bool right) {
  std::string out;
  AppendPadded(out, s, width, right);
  return out;
}

std::string Shorten(std::string_view s, size_t width, Clip clip) {
  if (clip == Clip::kNone || Width(s) <= width) return std::string(s);
  switch (clip) {
    case Clip::kTail:
      return "..." + std::string(s.substr(SuffixStart(s, width > 3 ? width - 3 : 0)));
    case Clip::kHead:
      return std::string(s.substr(0, PrefixBytes(s, width > 3 ? width - 3 : 0))) + "...";
    case Clip::kCut:
    case Clip::kNone:
      break;
  }
  return std::string(s.substr(0, PrefixBytes(s, width)));
}

void AppendWrapped(std::string& out, std::string_view lead, std::string_view text, size_t width) {
  const size_t indent = Width(lead);
  size_t line = indent;
  bool empty = true;
  out += lead;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = text.find_first_not_of(" \t\n\r\f\v", pos);
    if (start == std::string_view::npos) break;
    size_t end = text.find_first_of(" \t\n\r\f\v", start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(start, end - start);
    const size_t w = Width(word);
    if (!empty && line + 1 + w > width) {
      out += '\n';
      out.append(indent, ' ');
      line = indent;
      empty = true;
    }
    if (!empty) {
      out += ' ';
      ++line;
    }
    out += word;
    line += w;
    empty = false;
    pos = end;
  }
  out += '\n';
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string_view Basename(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace tops::report
