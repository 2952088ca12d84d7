// `tops ops [--markdown]`: every op in the registry with its family and cost formula.
// docs/ops.md is this command's --markdown output (a test keeps them equal).
#include <iostream>

#include "commands.h"
#include "tops/ops.h"
#include "tops/output.h"

namespace tops::cli {

void AddOpsCommand(CLI::App& app) {
  auto markdown = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "ops", "List every op with a shape and cost function: domain, op, family and formula.");
  cmd->add_flag("--markdown", *markdown, "Print docs/ops.md (Markdown table)");
  cmd->callback([markdown] {
    Write(std::cout, SupportedOps(), *markdown ? Format::kMarkdown : Format::kTable);
  });
}

}  // namespace tops::cli
