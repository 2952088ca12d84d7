// Text handling shared by every writer: escaping for each output language (CSV, Markdown, HTML,
// JSON), padding and shortening for terminal columns (by characters, not bytes, so UTF-8 names
// line up and are never cut inside a character), and word wrapping.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tops::report {

// One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes
// doubled.
void AppendCsvField(std::string& out, std::string_view s);
std::string CsvField(std::string_view s);

// Text from a model file or the chip catalog inside a Markdown table cell or line: nothing in
// it can end the cell, break the row, inject HTML or start emphasis, code or a link. Pipes are
// escaped; < > & become entities (GitHub renders HTML in Markdown); '*', '`', '[' and a
// backslash are escaped (underscores inside words do not start emphasis); line breaks become
// spaces.
void AppendMarkdownCell(std::string& out, std::string_view s);
std::string MarkdownCell(std::string_view s);

// The entity of & < > " ' in HTML; nullptr for any other character.
const char* HtmlEntity(char c);
// Escapes & < > " ' for HTML text and attribute values; control characters other than tab and
// newline (not allowed in HTML text) become U+FFFD.
void AppendHtml(std::string& out, std::string_view s);
std::string Html(std::string_view s);

// A JSON string literal with its quotes. Names come from untrusted files and need not be UTF-8:
// bad bytes are replaced by U+FFFD instead of failing.
void AppendJsonString(std::string& out, std::string_view s);
// `lead`, the JSON string literal of `s`, then `tail`, appended at once when `s` needs no
// escaping (a key with the line break before it and ": " after it).
void AppendJsonString(std::string& out, std::string_view lead, std::string_view s,
                      std::string_view tail);

// Characters (UTF-8 code points) in `s`.
size_t Width(std::string_view s);
// Pads `s` with spaces to `width` characters, on the right (left-aligned) or the left.
void AppendPadded(std::string& out, std::string_view s, size_t width, bool right);
std::string Pad(std::string_view s, size_t width, bool right = false);

// Shortening a text to at most `width` characters, on a character boundary.
enum class Clip : uint8_t {
  kNone,
  kTail,  // keeps the informative tail of a long name: "...layer4.1.conv2"
  kHead,  // keeps the head of a label: "Jetson Orin Nano 8GB (orig..."
  kCut,   // keeps the head without a mark
};
std::string Shorten(std::string_view s, size_t width, Clip clip);

// Word-wraps `text` within `width` columns: the first line starts with `lead`, the others with
// as many spaces; each line ends in "\n".
void AppendWrapped(std::string& out, std::string_view lead, std::string_view text,
                   size_t width = 100);

// "a, b, c" from {"a", "b", "c"} with sep ", ".
std::string Join(const std::vector<std::string>& parts, std::string_view sep);

// "resnet18.onnx" from "models/resnet18.onnx".
std::string_view Basename(std::string_view path);

}  // namespace tops::report
