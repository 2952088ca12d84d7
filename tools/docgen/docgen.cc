// tops_docgen: writes the man pages and shell completions of `tops` from the CLI definition itself
// (tools/tops/app.cc), so that they list exactly the commands and options the binary accepts.
//
//   tops_docgen --readme README.md --out DIR
//
// writes DIR/man/tops.1, DIR/man/tops-<command>.1 (one per command), DIR/completions/tops.bash
// and DIR/completions/_tops (zsh). Examples come from the CLI's own footer and from the README
// (`$ tops ...` lines and `tops ...` lines of ```sh blocks), each on the page of its command.
// Option values are completed from the library where it owns the list (chip ids from the
// built-in catalog, precisions, what-if scenarios) and, for --format, from the formats the
// option's own help text names; everything else completes file names.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "commands.h"
#include "tops/chip.h"
#include "tops/version.h"
#include "tops/whatif.h"

namespace {

namespace fs = std::filesystem;

struct Example {
  std::string command;  // "tops profile examples/resnet18.onnx --top 3"
  std::string comment;  // text after "#", if any
};

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// CLI help text is hard-wrapped for a terminal; a man page wraps by itself.
std::string Unwrap(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '\n' ? ' ' : c;
  return Trim(out);
}

std::string FirstLine(const std::string& s) { return Trim(s.substr(0, s.find('\n'))); }

// The first sentence of a help text, for a man page's NAME line.
std::string FirstSentence(const std::string& s) {
  const std::string text = Unwrap(s);
  // A sentence ends at ". " before a capital letter (not at "e.g. batch").
  size_t end = text.find(". ");
  while (end != std::string::npos && end + 2 < text.size() &&
         !std::isupper(static_cast<unsigned char>(text[end + 2]))) {
    end = text.find(". ", end + 2);
  }
  std::string first = end == std::string::npos ? text : text.substr(0, end);
  if (!first.empty() && first.back() == '.') first.pop_back();
  return first;
}

bool ContainsWord(std::string text, const std::string& word) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text.find(word) != std::string::npos;
}

std::vector<Example> ReadmeExamples(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<Example> out;
  std::string line, fence;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.rfind("```", 0) == 0) {
      inside = !inside;
      fence = inside ? Trim(line.substr(3)) : "";
      continue;
    }
    if (!inside) continue;
    std::string cmd;
    if (line.rfind("$ tops ", 0) == 0) {
      cmd = line.substr(2);
    } else if (fence == "sh" && line.rfind("tops ", 0) == 0) {
      cmd = line;
    } else {
      continue;
    }
    Example e;
    const size_t hash = cmd.find(" #");
    if (hash != std::string::npos) {
      e.comment = Trim(cmd.substr(hash + 2));
      cmd = cmd.substr(0, hash);
    }
    e.command = Trim(cmd);
    out.push_back(e);
  }
  return out;
}

// Footer lines "  tops ...   what it does" as examples; the rest as text.
void SplitFooter(const std::string& footer, std::vector<Example>* examples,
                 std::vector<std::string>* text) {
  std::istringstream in(footer);
  std::string line;
  while (std::getline(in, line)) {
    const std::string t = Trim(line);
    if (t.rfind("tops ", 0) == 0) {
      Example e;
      const size_t gap = t.find("   ");
      e.command = Trim(t.substr(0, gap));
      if (gap != std::string::npos) e.comment = Trim(t.substr(gap));
      examples->push_back(e);
    } else if (!t.empty() && t != "Examples:") {
      text->push_back(t);
    }
  }
}

// ---- roff --------------------------------------------------------------------------------

std::string Roff(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  // A line starting with '.' or '\'' would be read as a request.
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Words of the path below "tops": {"calc", "conv2d"}.
std::string PathText(const std::vector<std::string>& path) {
  std::string s = "tops";
  for (const auto& p : path) s += " " + p;
  return s;
}

bool IsFlag(const CLI::Option* o) { return o->get_expected_max() == 0; }

std::vector<const CLI::Option*> NamedOptions(const CLI::App* app) {
  return app->get_options([](const CLI::Option* o) { return !o->get_positional(); });
}
std::vector<const CLI::Option*> Positionals(const CLI::App* app) {
  return app->get_options([](const CLI::Option* o) {
    return o->get_positional() && o->get_lnames().empty() && o->get_snames().empty();
  });
}
std::vector<const CLI::App*> Subcommands(const CLI::App* app) {
  return app->get_subcommands([](const CLI::App* a) { return !a->get_name().empty(); });
}

void RoffOptions(std::ostream& os, const CLI::App* app) {
  for (const CLI::Option* o : NamedOptions(app)) {
    std::string names;
    for (const auto& s : o->get_snames())
      names += (names.empty() ? "" : ", ") + ("\\fB\\-" + s + "\\fR");
    for (const auto& l : o->get_lnames()) {
      names += (names.empty() ? "" : ", ") + ("\\fB" + Roff("--" + l) + "\\fR");
    }
    if (!IsFlag(o)) names += " \\fI" + Roff(o->get_type_name()) + "\\fR";
    os << ".TP\n" << names << "\n" << Roff(Unwrap(o->get_description()));
    if (!o->get_default_str().empty()) os << " (default: " << Roff(o->get_default_str()) << ")";
    if (o->get_expected_max() > 1 && !IsFlag(o) &&
        !ContainsWord(o->get_description(), "repeatable")) {
      os << " Repeatable.";
    }
    os << "\n";
  }
  for (const CLI::Option* o : Positionals(app)) {
    os << ".TP\n\\fI" << Roff(o->get_name()) << "\\fR\n" << Roff(Unwrap(o->get_description()));
    if (o->get_required()) os << " (required)";
    os << "\n";
  }
}

std::string Synopsis(const CLI::App* app, const std::vector<std::string>& path) {
  std::string s = ".B " + Roff(PathText(path)) + "\n";
  if (!Subcommands(app).empty()) s += "\\fIcommand\\fR ";
  s += "[\\fIoptions\\fR]";
  for (const CLI::Option* o : Positionals(app)) {
    std::string p = "\\fI" + Roff(o->get_name()) + "\\fR";
    if (o->get_expected_max() > 1) p += " ...";
    s += " " + (o->get_required() ? p : "[" + p + "]");
  }
  return s + "\n";
}

void RoffExamples(std::ostream& os, const std::vector<Example>& examples) {
  if (examples.empty()) return;
  os << ".SH EXAMPLES\n";
  for (const Example& e : examples) {
    os << ".PP\n";
    if (!e.comment.empty()) os << Roff(e.comment) << ":\n";
    os << ".RS 4\n.nf\n" << Roff("$ " + e.command) << "\n.fi\n.RE\n";
  }
}

bool ExampleFor(const Example& e, const std::string& path_text) {
  const std::string p = path_text + " ";
  return e.command.rfind(p, 0) == 0 || e.command == path_text;
}

const char* kExitStatus =
    ".SH \"EXIT STATUS\"\n.TP\n0\nsuccess\n.TP\n1\nthe model does not fit (only with "
    "\\fB\\-\\-check\\fR)\n.TP\n2\nbad input: the message names the file, byte offset, node or "
    "option at fault\n";

std::string Header(const std::string& name) {
  const std::string version = tops::GetBuildInfo().version;
  return ".TH " + Upper(Roff(name)) + " 1 \"\" \"tops " + version + "\" \"tops manual\"\n";
}

void WriteCommandPage(const fs::path& dir, const CLI::App* cmd,
                      const std::vector<Example>& examples) {
  const std::vector<std::string> path{cmd->get_name()};
  const std::string name = "tops-" + cmd->get_name();
  std::ofstream os(dir / (name + ".1"));
  os << Header(name) << ".SH NAME\n"
     << Roff(name) << " \\- " << Roff(FirstSentence(cmd->get_description())) << "\n"
     << ".SH SYNOPSIS\n"
     << Synopsis(cmd, path);
  for (const CLI::App* sub : Subcommands(cmd)) {
    os << ".br\n" << Synopsis(sub, {cmd->get_name(), sub->get_name()});
  }
  os << ".SH DESCRIPTION\n" << Roff(Unwrap(cmd->get_description())) << "\n";
  os << ".SH OPTIONS\n";
  RoffOptions(os, cmd);
  const auto subs = Subcommands(cmd);
  if (!subs.empty()) {
    os << ".SH COMMANDS\n";
    for (const CLI::App* sub : subs) {
      os << ".SS \"" << Roff(PathText({cmd->get_name(), sub->get_name()})) << "\"\n"
         << Roff(Unwrap(sub->get_description())) << "\n";
      RoffOptions(os, sub);
    }
  }
  std::vector<Example> mine;
  for (const Example& e : examples) {
    if (ExampleFor(e, PathText(path))) mine.push_back(e);
  }
  RoffExamples(os, mine);
  os << kExitStatus << ".SH \"SEE ALSO\"\n\\fBtops\\fR(1)\n";
}

// The CLI footer's examples, then the README's.
std::vector<Example> AllExamples(const CLI::App& app, const std::vector<Example>& readme) {
  std::vector<Example> examples;
  std::vector<std::string> text;
  SplitFooter(app.get_footer(), &examples, &text);
  for (const Example& e : readme) examples.push_back(e);
  return examples;
}

void WriteMainPage(const fs::path& dir, const CLI::App& app, const std::vector<Example>& readme) {
  const std::vector<Example> examples = AllExamples(app, readme);
  std::vector<Example> unused;
  std::vector<std::string> text;
  SplitFooter(app.get_footer(), &unused, &text);
  std::ofstream os(dir / "tops.1");
  const std::string description = app.get_description();
  std::string summary = FirstLine(description);
  if (summary.rfind("tops - ", 0) == 0) summary = summary.substr(7);
  if (!summary.empty() && summary.back() == '.') summary.pop_back();
  std::string rest = description.substr(std::min(description.size(), description.find('\n') + 1));
  os << Header("tops") << ".SH NAME\ntops \\- " << Roff(summary) << "\n.SH SYNOPSIS\n"
     << Synopsis(&app, {}) << ".SH DESCRIPTION\n"
     << Roff(Unwrap(rest)) << "\n";
  for (const auto& t : text) {
    if (t.rfind("Exit codes:", 0) != 0) os << ".PP\n" << Roff(t) << "\n";
  }
  os << ".SH COMMANDS\n";
  for (const CLI::App* sub : Subcommands(&app)) {
    std::string text = Unwrap(sub->get_description());
    if (!text.empty() && text.back() != '.' && text.back() != '?') text += '.';
    os << ".TP\n\\fB" << Roff(sub->get_name()) << "\\fR\n"
       << Roff(text) << " See \\fBtops\\-" << Roff(sub->get_name()) << "\\fR(1).\n";
  }
  os << ".SH OPTIONS\n";
  RoffOptions(os, &app);
  RoffExamples(os, examples);
  os << kExitStatus << ".SH \"SEE ALSO\"\n";
  std::string sep;
  for (const CLI::App* sub : Subcommands(&app)) {
    os << sep << "\\fBtops\\-" << Roff(sub->get_name()) << "\\fR(1)";
    sep = ",\n";
  }
  os << "\n.PP\nThe documentation installed with tops (README.md and docs/), and Netron\n"
        "(https://netron.app) for the files written by \\fB\\-\\-format netron\\fR.\n";
}

// ---- completions -------------------------------------------------------------------------

struct Node {
  std::string path;  // "tops calc conv2d"
  const CLI::App* app = nullptr;
  int depth = 0;  // subcommand words below tops
};

void Walk(const CLI::App* app, const std::string& path, int depth, std::vector<Node>* out) {
  out->push_back({path, app, depth});
  for (const CLI::App* sub : Subcommands(app)) {
    Walk(sub, path + " " + sub->get_name(), depth + 1, out);
  }
}

std::vector<std::string> OptionNames(const CLI::Option* o) {
  std::vector<std::string> names;
  for (const auto& s : o->get_snames()) names.push_back("-" + s);
  for (const auto& l : o->get_lnames()) names.push_back("--" + l);
  return names;
}

// Values to offer after an option; empty: complete file names.
std::vector<std::string> Choices(const CLI::Option* o) {
  std::vector<std::string> v;
  const std::vector<std::string> names = OptionNames(o);
  auto has = [&](const char* n) { return std::find(names.begin(), names.end(), n) != names.end(); };
  if (has("--chip")) {
    const tops::Catalog catalog = tops::Catalog::Builtin();
    for (const tops::Chip& c : catalog.chips()) v.push_back(c.id);
  } else if (has("--precision")) {
    for (tops::Precision p : tops::AllPrecisions()) v.emplace_back(tops::PrecisionName(p));
  } else if (has("--scenario")) {
    for (const tops::Scenario& s : tops::AllScenarios()) v.push_back(s.name);
  } else if (has("--format")) {
    // The formats the option's help names (each command lists the ones it accepts).
    const std::string d = o->get_description();
    for (const char* f : {"table", "json", "csv", "md", "html", "netron"}) {
      const std::string w(f);
      for (size_t at = d.find(w); at != std::string::npos; at = d.find(w, at + 1)) {
        const bool start = at == 0 || !std::isalnum(static_cast<unsigned char>(d[at - 1]));
        const size_t end = at + w.size();
        const bool stop = end == d.size() || !std::isalnum(static_cast<unsigned char>(d[end]));
        if (start && stop) {
          v.push_back(w);
          break;
        }
      }
    }
  } else if (has("--group-by")) {
    v.push_back("op");
  }
  return v;
}

std::string Join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

void WriteBash(const fs::path& file, const std::vector<Node>& nodes) {
  std::ofstream os(file);
  os << "# bash completion for tops(1); generated by tops_docgen from the CLI definition "
        "(tools/tops/app.cc).\n# Do not edit: rebuild instead.\n"
        "_tops() {\n"
        "  local cur=${COMP_WORDS[COMP_CWORD]} prev=\"\" cmdpath=tops i w\n"
        "  ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
        "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
        "    w=${COMP_WORDS[i]}\n"
        "    case \"$cmdpath $w\" in\n";
  std::vector<std::string> sub_paths;
  for (const Node& n : nodes) {
    if (n.depth > 0) sub_paths.push_back("\"" + n.path + "\"");
  }
  os << "      " << Join(sub_paths, " | ") << ") cmdpath=\"$cmdpath $w\" ;;\n"
     << "    esac\n  done\n"
     << "  local subs=\"\" opts=\"\" files=0\n  case \"$cmdpath $prev\" in\n";
  for (const Node& n : nodes) {
    for (const CLI::Option* o : NamedOptions(n.app)) {
      if (IsFlag(o)) continue;
      std::vector<std::string> keys;
      for (const auto& name : OptionNames(o)) keys.push_back("\"" + n.path + " " + name + "\"");
      const auto choices = Choices(o);
      os << "    " << Join(keys, " | ") << ")\n";
      if (choices.empty()) {
        os << "      COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n";
      } else {
        os << "      COMPREPLY=($(compgen -W \"" << Join(choices, " ")
           << "\" -- \"$cur\")); return ;;\n";
      }
    }
  }
  os << "  esac\n  case \"$cmdpath\" in\n";
  for (const Node& n : nodes) {
    std::vector<std::string> subs, opts;
    for (const CLI::App* sub : Subcommands(n.app)) subs.push_back(sub->get_name());
    for (const CLI::Option* o : NamedOptions(n.app)) {
      for (const auto& name : OptionNames(o)) opts.push_back(name);
    }
    os << "    \"" << n.path << "\") subs=\"" << Join(subs, " ") << "\" opts=\"" << Join(opts, " ")
       << "\"" << (Positionals(n.app).empty() ? "" : " files=1") << " ;;\n";
  }
  os << "  esac\n"
        "  if [[ $cur == -* ]]; then\n"
        "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
        "  else\n"
        "    COMPREPLY=($(compgen -W \"$subs\" -- \"$cur\"))\n"
        "    ((files)) && COMPREPLY+=($(compgen -f -- \"$cur\"))\n"
        "  fi\n"
        "  return 0\n"
        "}\n"
        "complete -o filenames -F _tops tops\n";
}

// Text inside a zsh _arguments spec: no brackets, colons or quotes.
std::string ZshText(const std::string& s) {
  std::string out;
  for (char c : FirstSentence(s)) {
    if (c == '[') {
      out += '(';
    } else if (c == ']') {
      out += ')';
    } else if (c == ':' || c == '\'' || c == '\\' || c == '`' || c == '$') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return Trim(out);
}

void WriteZsh(const fs::path& file, const std::vector<Node>& nodes) {
  std::ofstream os(file);
  os << "#compdef tops\n"
        "# zsh completion for tops(1); generated by tops_docgen from the CLI definition "
        "(tools/tops/app.cc).\n# Do not edit: rebuild instead.\n"
        "_tops() {\n"
        "  local cmdpath=tops i\n"
        "  for ((i = 2; i < CURRENT; i++)); do\n"
        "    case \"$cmdpath ${words[i]}\" in\n";
  std::vector<std::string> sub_paths;
  for (const Node& n : nodes) {
    if (n.depth > 0) sub_paths.push_back("\"" + n.path + "\"");
  }
  os << "      (" << Join(sub_paths, " | ") << ") cmdpath=\"$cmdpath ${words[i]}\" ;;\n"
     << "    esac\n  done\n"
     << "  local -a parts=(${=cmdpath})\n  local depth=${#parts}\n"
     << "  if ((depth > 1)); then\n"
     << "    words=(\"${(@)words[depth,-1]}\")\n"
     << "    ((CURRENT -= depth - 1))\n"
     << "  fi\n"
     << "  case $cmdpath in\n";
  for (const Node& n : nodes) {
    os << "    (\"" << n.path << "\")\n      _arguments -s";
    for (const CLI::Option* o : NamedOptions(n.app)) {
      const auto names = OptionNames(o);
      const std::string help = ZshText(o->get_description());
      const bool repeat = !IsFlag(o) && o->get_expected_max() > 1;
      std::string action;
      if (!IsFlag(o)) {
        const auto choices = Choices(o);
        action = ":" + ZshText(o->get_type_name()) + ":" +
                 (choices.empty() ? "_files" : "(" + Join(choices, " ") + ")");
      }
      for (const auto& name : names) {
        os << " \\\n        '" << (repeat ? "*" : "") << name << "[" << help << "]" << action
           << "'";
      }
    }
    const auto subs = Subcommands(n.app);
    if (!subs.empty()) {
      std::vector<std::string> items;
      for (const CLI::App* sub : subs) {
        items.push_back(sub->get_name() + "\\:\"" + ZshText(sub->get_description()) + "\"");
      }
      os << " \\\n        '1:command:((" << Join(items, " ") << "))'";
    }
    for (const CLI::Option* o : Positionals(n.app)) {
      os << " \\\n        '" << (o->get_expected_max() > 1 ? "*" : "") << ":"
         << ZshText(o->get_name()) << ":_files'";
    }
    os << " ;;\n";
  }
  os << "  esac\n}\n_tops \"$@\"\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::string readme, out;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--readme") readme = argv[i + 1];
    if (flag == "--out") out = argv[i + 1];
  }
  if (readme.empty() || out.empty()) {
    std::cerr << "usage: tops_docgen --readme README.md --out DIR\n";
    return 2;
  }
  try {
    CLI::App app;
    tops::cli::BuildApp(app);
    const std::vector<Example> examples = ReadmeExamples(readme);
    const fs::path man = fs::path(out) / "man";
    const fs::path completions = fs::path(out) / "completions";
    fs::create_directories(man);
    fs::create_directories(completions);
    WriteMainPage(man, app, examples);
    for (const CLI::App* cmd : Subcommands(&app)) {
      WriteCommandPage(man, cmd, AllExamples(app, examples));
    }
    std::vector<Node> nodes;
    Walk(&app, "tops", 0, &nodes);
    WriteBash(completions / "tops.bash", nodes);
    WriteZsh(completions / "_tops", nodes);
  } catch (const std::exception& e) {
    std::cerr << "tops_docgen: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
