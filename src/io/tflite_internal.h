// Shared by the TFLite reader's files: turning an operator's options into node attributes.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "io/flatbuffer.h"
#include "tops/graph.h"

namespace tops::io {

struct OptionsContext {
  fb::View& view;
  std::string_view bytes;
  fb::Table op;        // the Operator table
  const fb::Path& path;  // its path, for errors
  // Builds (or returns) the subgraph an option names, refusing cycles.
  std::function<std::shared_ptr<Graph>(uint32_t index, const fb::Path& from)> subgraph;
};

// builtin_options / builtin_options_2 as attributes named after the schema's fields (every field
// of the table, the schema default where the file leaves one out); subgraph indices become graph
// attributes without the "_index" suffix (then_subgraph, body_subgraph, ...); the FlexBuffer
// options of the custom operators tops costs become int / float / string attributes.
void ReadOperatorOptions(const OptionsContext& ctx, Node& node);

}  // namespace tops::io
