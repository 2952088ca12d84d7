// Reads a TensorFlow Lite model (a FlatBuffer with file identifier "TFL3") into a tops::Model
// without touching weight payloads: only the operator, tensor and subgraph tables are walked,
// and a buffer is opened only for a small integer tensor whose values shape inference needs
// (reshape targets, axes, paddings) or for a sparse tensor's stored size. Weights stored after
// the FlatBuffer (buffer offset/size in files over 2 GB) are treated the same way.
//
// The IR it produces: one Graph per subgraph (subgraph 0 is the model; IF / WHILE / CALL_ONCE /
// CALL bodies hang off their node as graph attributes), nodes in domain "tflite" named by the
// builtin operator ("CONV_2D"), custom operators in domain "tflite.custom" by their custom code,
// options as attributes named after the schema fields (padding "SAME"/"VALID", stride_w, ...,
// fused_activation_function "RELU6"). Tensors keep their NHWC shapes, weights their OHWI / 1HWO
// layouts. Constant tensors become initializers; dims of -1 in shape_signature become symbols
// ("batch" for axis 0, "<input>:<axis>" otherwise) on the model's inputs.
#pragma once

#include <string>
#include <string_view>

#include "tops/graph.h"

namespace tops::io {

// Cheap probe: the FlatBuffer file identifier "TFL3" at bytes 4..7.
bool LooksLikeTflite(std::string_view head);

Model ReadTfliteBytes(std::string_view bytes, const std::string& label);

}  // namespace tops::io
