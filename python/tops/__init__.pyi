# Type stubs of the package `tops` (what editors complete). The runtime is __init__.py over the
# extension tops._tops; docs/python.md documents each function.
import os
from typing import (Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple,
                    Union, overload)

__version__: str
DEFAULT_FPS: float
ARTICLE_UTILIZATION: float

_Path = Union[str, os.PathLike]
ModelArg = Union[_Path, bytes, bytearray, memoryview, "Profile"]
RatedModel = Union[ModelArg, Tuple[ModelArg, float]]
Dim = Union[int, str, None]
Shapes = Union[Mapping[str, Union[Sequence[Union[int, str]], str]], Iterable[str], str, None]
Dims = Union[Mapping[str, int], Iterable[str], str, None]
Values = Union[Mapping[str, Union[float, Sequence[float]]], Iterable[str], str, None]

class Error(Exception): ...
class ModelError(Error): ...
class OptionError(Error, ValueError): ...
class AnalysisError(Error, ValueError): ...
class ChipError(Error, LookupError): ...
class CatalogError(Error): ...
class MissingDependencyError(Error, ImportError): ...
class ExportError(Error): ...

class _Outputs:
    def to_json(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_csv(self) -> str: ...
    def to_markdown(self) -> str: ...

class TensorInfo:
    name: str
    dtype: str
    shape: Optional[Tuple[Dim, ...]]

class Layer:
    index: int
    graph: str
    name: str
    op: str
    domain: str
    outputs: List[TensorInfo]
    params: int
    macs: Optional[int]
    other_ops: Optional[int]
    flops: Optional[int]
    bytes_read: Optional[int]
    bytes_written: Optional[int]
    has_formula: bool
    group: Optional[int]
    depthwise: bool

class Totals:
    params: int
    macs: int
    other_ops: int
    flops: int
    weight_bytes: int
    activation_bytes: int
    peak_activation_bytes: int
    nodes_without_cost: int

class UnsupportedOp:
    op: str
    count: int

class Diagnostic:
    node: str
    message: str
    kind: str
    subject: str
    nodes: int
    resolve: str

class QuantInfo:
    quantized: bool
    precision: Optional[str]
    evidence: List[str]

class OpGroup:
    op: str
    count: int
    params: int
    macs: int
    flops: int
    nodes_without_cost: int

class Initializer:
    name: str
    dtype: str
    shape: Tuple[int, ...]
    elems: int

class Node:
    name: str
    op: str
    domain: str
    inputs: List[str]
    outputs: List[str]

class TorchExport:
    module_params: int
    trainable_params: int
    graph_params: int
    batchnorm_layers: int
    batchnorm_folded: bool
    batchnorm_params: int
    folded_biases: int
    shared_elems: int
    other_elems: int
    opset: Optional[int]
    input_names: List[str]
    @property
    def params_note(self) -> str: ...
    @property
    def onnx_bytes(self) -> bytes: ...
    def save_onnx(self, path: _Path) -> None: ...

class Profile:
    label: str
    path: str
    format: str
    producer: str
    opsets: Dict[str, int]
    node_count: int
    file_bytes: int
    inputs: List[TensorInfo]
    outputs: List[TensorInfo]
    bindings: Dict[str, int]
    totals: Totals
    macs: int
    params: int
    flops: int
    layers: List[Layer]
    unsupported: List[UnsupportedOp]
    diagnostics: List[Diagnostic]
    quant: QuantInfo
    conventions: List[str]
    initializers: List[Initializer]
    nodes: List[Node]
    torch: TorchExport  # set by from_torch only
    def heaviest(self, n: int) -> List[Layer]: ...
    def group_by_op(self) -> List[OpGroup]: ...
    def table(self, top: Optional[int] = ..., group_by: Optional[str] = ...) -> str: ...
    def to_json(self, top: Optional[int] = ..., group_by: Optional[str] = ...) -> str: ...
    def to_dict(self, top: Optional[int] = ..., group_by: Optional[str] = ...) -> Dict[str, Any]: ...
    def to_csv(self, top: Optional[int] = ..., group_by: Optional[str] = ...) -> str: ...
    def to_markdown(self, top: Optional[int] = ..., group_by: Optional[str] = ...) -> str: ...
    def to_pandas(self) -> Any: ...
    def _repr_html_(self) -> str: ...

class Sweep(_Outputs):
    dim: str
    label: str
    points: List[Tuple[int, Profile]]
    def to_pandas(self) -> Any: ...

class ModelDemand:
    label: str
    fps: float
    macs: float
    other_ops: float
    ops_per_frame: float
    weight_elems: float
    activation_elems: float

class PrecisionRequirement:
    precision: str
    article_factor: float
    int8_equivalent_tops: float
    own_tops: float
    weight_gbs: float
    all_dram_gbs: float

class Requirement(_Outputs):
    models: List[ModelDemand]
    ops_per_second: float
    precisions: List[PrecisionRequirement]

class LayerEstimate:
    model: str
    index: int
    node: str
    op: str
    op_class: str
    ops: float
    dram_bytes: float
    compute_ms: float
    memory_ms: float
    overhead_ms: float
    time_ms: float
    bound: str

class PredictionBand:
    low: float
    high: float
    rows: int
    scope: str
    known: bool

class ModelPrediction:
    label: str
    fps_requested: float
    latency_ms: float
    latency_low_ms: Optional[float]
    latency_high_ms: Optional[float]
    fps: float
    load: float
    compute_ms: float
    memory_ms: float
    overhead_ms: float
    dram_bytes: float
    weights_on_chip: bool
    layers: int
    skipped_nodes: int
    top_layers: List[LayerEstimate]

class Prediction:
    available: bool
    missing: List[str]
    caveats: List[str]
    peak_tops: float
    latency_ms: float
    fps: float
    latency_low_ms: Optional[float]
    latency_high_ms: Optional[float]
    fps_low: Optional[float]
    fps_high: Optional[float]
    band: PredictionBand
    utilization: float
    bound: str
    load: float
    fits: bool
    bandwidth_gbs: float
    power_w: Optional[float]
    peaks_from_higher_mode: bool
    energy_mj: Optional[float]
    fps_per_watt: Optional[float]
    tops_per_watt: Optional[float]
    achieved_tops_per_watt: Optional[float]
    models: List[ModelPrediction]

class FitResult(_Outputs):
    chip_id: str
    chip_name: str
    precision: str
    precision_source: str
    utilization: float
    convention: str
    chip_tops: Optional[float]
    required_tops: float
    effective_tops: Optional[float]
    is_sufficient: Optional[bool]
    margin: Optional[float]
    missing: List[str]
    predicted: Prediction
    fits: bool
    verdict_basis: str
    def _repr_html_(self) -> str: ...
    def __bool__(self) -> bool: ...

class Figure:
    value: Optional[float]
    status: str
    source: str
    how: str
    note: str

class Peak:
    dense: Figure
    sparse: Figure
    sparsity: str
    covers: str
    single_inference: Figure

class Chip:
    id: str
    aliases: List[str]
    name: str
    vendor: str
    kind: str
    family: str
    peaks: Dict[str, Peak]
    cores: Figure
    memory_bandwidth_gbs: Figure
    on_chip_memory_mb: Figure
    memory_gb: Figure
    power_modes_w: List[float]
    source: str
    notes: str
    def peak_tops(self, precision: str = ..., sparse: bool = ...) -> Optional[float]: ...

class ChipSheet(_Outputs):
    chip: Chip
    def __getattr__(self, name: str) -> Any: ...

class Catalog(_Outputs):
    chips: List[Chip]
    def get(self, id: str) -> Chip: ...
    def __getitem__(self, id: str) -> Chip: ...
    def __iter__(self) -> Iterator[Chip]: ...
    def __len__(self) -> int: ...
    def __contains__(self, id: object) -> bool: ...
    def to_pandas(self) -> Any: ...

class RankRow:
    chip: Chip
    fit: FitResult

class RankExclusion:
    chip_id: str
    reason: str

class RankResult(_Outputs):
    precision: str
    precision_source: str
    precision_note: str
    rows: List[RankRow]
    excluded: List[RankExclusion]
    def to_pandas(self) -> Any: ...

class ScenarioResult:
    scenario: str
    kind: str
    precision: str
    effect: str
    method: str
    macs: float
    nonzero_params: float
    weight_bytes: float
    required_tops: float
    peak_tops: Optional[float]
    roofline_peak_tops: Optional[float]
    latency_ms: Optional[float]
    fps: Optional[float]
    latency_low_ms: Optional[float]
    latency_high_ms: Optional[float]
    fps_low: Optional[float]
    fps_high: Optional[float]
    band: PredictionBand
    bandwidth_gbs: Optional[float]
    bound: Optional[str]
    fits: bool
    verdict_basis: str
    missing: List[str]
    notes: List[str]

class WhatifResult(_Outputs):
    model: str
    chip_id: str
    chip_name: str
    fps: float
    precision: str
    precision_source: str
    quant: QuantInfo
    batch_symbol: Optional[str]
    notes: List[str]
    rows: List[ScenarioResult]
    def to_pandas(self) -> Any: ...

class CompareRow:
    label: str
    precision: str
    precision_source: str
    params: int
    macs: int
    flops: int
    weight_bytes: float
    nodes_without_cost: int
    required_tops: float
    fit: FitResult
    notes: List[str]

class CompareResult(_Outputs):
    chip_id: str
    chip_name: str
    fps: float
    rows: List[CompareRow]
    notes: List[str]
    best: Dict[str, int]
    def to_pandas(self) -> Any: ...

class ChipReport:
    vendor: str
    kind: str
    fit: FitResult
    roof_tops: float
    bandwidth_gbs: Optional[float]
    ridge_intensity: Optional[float]

class Report:
    label: str
    fps: float
    precision: str
    chip_choice: str
    requirement: Requirement
    chips: List[ChipReport]
    whatif: Optional[WhatifResult]
    html: str
    markdown: str
    def save(self, path: _Path) -> None: ...
    def _repr_html_(self) -> str: ...

class ArticleCheck:
    required_tops: float
    effective_tops: float
    is_sufficient: bool
    margin: float

class LlmRange:
    value: float
    low: float
    high: float

class KvCacheLayer:
    elements_per_token: int
    head_dim: int
    window: int

class Decoder:
    format: str
    attention_layers: int
    params: int
    active_params: int
    embedding_params: int
    lm_head_tied: bool
    matrix_params: int
    vocab: int
    hidden: int
    max_positions: Optional[int]
    file_weight_bytes: int
    file_is_quantized: bool
    kv_cache: List[KvCacheLayer]

class LlmSummary(_Outputs):
    model: str
    decoder: Decoder
    quant: str
    kv_bits: int
    weight_bytes: float
    kv_bytes_per_token: float
    decode_macs_per_token: int
    decode_flops_per_token: int
    at_context: int
    convention: str
    def _repr_markdown_(self) -> str: ...

class LlmCalibration:
    id: str
    fallback: bool
    decode_bandwidth_efficiency: float
    prefill_efficiency: float
    layer_overhead_us: float
    token_overhead_ms: float
    rows: int

class DecodePoint:
    context: int
    tokens_per_s: LlmRange
    step_ms: float
    bytes_per_step: float
    flops_per_token: float
    bound: str

class LlmMemory:
    weight_bytes: float
    kv_bytes: float
    activation_bytes: float
    total_bytes: float
    capacity_bytes: Optional[float]
    capacity_source: str
    fits: Optional[bool]
    max_context: Optional[int]
    max_context_is_model_limit: bool

class LlmEstimate:
    chip: str
    chip_name: str
    runtime: str
    quant: str
    kv_bits: int
    format_supported: bool
    prompt: int
    generate: int
    batch: int
    prefill_chunk: int
    prefill_chunks: int
    peak_tops: float
    bandwidth_gbs: float
    calibration: LlmCalibration
    prefill_flops: float
    ttft_ms: LlmRange
    prefill_tokens_per_s: float
    prefill_bound: str
    decode_tokens_per_s: LlmRange
    batch_tokens_per_s: float
    end_to_end_ms: LlmRange
    curve: List[DecodePoint]
    memory: LlmMemory
    available: bool
    missing: List[str]
    caveats: List[str]

class LlmResult(_Outputs):
    model: str
    decoder: Decoder
    convention: str
    estimates: List[LlmEstimate]
    html: str
    def to_pandas(self) -> Any: ...
    def _repr_markdown_(self) -> str: ...
    def _repr_html_(self) -> str: ...

class LlmRankRow:
    estimate: LlmEstimate
    meets: bool
    fast_enough: bool
    def __getattr__(self, name: str) -> Any: ...  # the estimate's attributes: row.chip, ...

class LlmRankResult(_Outputs):
    model: str
    target_tokens_per_s: float
    context: int
    rows: List[LlmRankRow]
    excluded: List[RankExclusion]
    def to_pandas(self) -> Any: ...
    def _repr_markdown_(self) -> str: ...

def load(model: Union[ModelArg, Any], *, inputs: Shapes = ..., dims: Dims = ...,
         values: Values = ..., label: Optional[str] = ...) -> Profile: ...
def from_torch(module: Any, input_size: Union[Sequence[int], Sequence[Sequence[int]], None] = ...,
               *, example_inputs: Any = ..., dynamic: Union[bool, Dict[str, Dict[int, str]]] = ...,
               inputs: Shapes = ..., dims: Dims = ..., values: Values = ...,
               opset: Optional[int] = ..., input_names: Optional[Sequence[str]] = ...,
               output_names: Optional[Sequence[str]] = ..., label: Optional[str] = ...,
               export_kwargs: Optional[Dict[str, Any]] = ...) -> Profile: ...
def sweep(model: ModelArg, dim: str, points: Iterable[int], *, inputs: Shapes = ...,
          dims: Dims = ..., values: Values = ..., label: Optional[str] = ...) -> Sweep: ...
def require(*models: RatedModel, fps: float = ..., inputs: Shapes = ..., dims: Dims = ...,
            values: Values = ...) -> Requirement: ...
def fit(*models: RatedModel, chip: str, fps: float = ..., precision: Optional[str] = ...,
        runtime: Optional[str] = ..., utilization: float = ..., power: Optional[float] = ..., throughput: bool = ...,
        top: int = ..., inputs: Shapes = ..., dims: Dims = ..., values: Values = ...,
        chip_files: Union[_Path, Iterable[_Path], None] = ...) -> FitResult: ...
def rank(*models: RatedModel, fps: float = ..., precision: Optional[str] = ...,
         utilization: float = ..., max_watts: Optional[float] = ..., throughput: bool = ...,
         inputs: Shapes = ..., dims: Dims = ..., values: Values = ...,
         chip_files: Union[_Path, Iterable[_Path], None] = ...) -> RankResult: ...
def whatif(model: ModelArg, *, chip: str, fps: float = ..., precision: Optional[str] = ...,
           utilization: float = ..., scenarios: Optional[Iterable[str]] = ...,
           inputs: Shapes = ..., dims: Dims = ..., values: Values = ...,
           chip_files: Union[_Path, Iterable[_Path], None] = ...,
           label: Optional[str] = ...) -> WhatifResult: ...
def compare(*models: RatedModel, chip: str, fps: float = ..., precision: Optional[str] = ...,
            utilization: float = ..., inputs: Shapes = ..., dims: Dims = ...,
            values: Values = ...,
            chip_files: Union[_Path, Iterable[_Path], None] = ...) -> CompareResult: ...
def chips(*, chip_files: Union[_Path, Iterable[_Path], None] = ...) -> Catalog: ...
def chip(id: str, *, chip_files: Union[_Path, Iterable[_Path], None] = ...) -> ChipSheet: ...
def report(model: ModelArg, *, chips: Optional[Iterable[str]] = ..., fps: float = ...,
           precision: Optional[str] = ..., utilization: float = ..., top: int = ...,
           whatif: bool = ..., inputs: Shapes = ..., dims: Dims = ..., values: Values = ...,
           chip_files: Union[_Path, Iterable[_Path], None] = ..., label: Optional[str] = ...,
           path: Optional[_Path] = ...) -> Report: ...
@overload
def llm(model: ModelArg, *, chip: None = ..., quant: Union[str, Sequence[str]] = ...,
        kv: str = ..., prompt: int = ..., gen: int = ..., context: Optional[int] = ...,
        batch: int = ..., chunk: Optional[int] = ..., runtime: Optional[str] = ...,
        curve: Union[str, Iterable[int], None] = ..., memory_gb: Optional[float] = ...,
        chip_files: Union[_Path, Iterable[_Path], None] = ...,
        label: Optional[str] = ...) -> LlmSummary: ...
@overload
def llm(model: ModelArg, *, chip: str, quant: Union[str, Sequence[str]] = ..., kv: str = ...,
        prompt: int = ..., gen: int = ..., context: Optional[int] = ..., batch: int = ...,
        chunk: Optional[int] = ..., runtime: Optional[str] = ...,
        curve: Union[str, Iterable[int], None] = ..., memory_gb: Optional[float] = ...,
        chip_files: Union[_Path, Iterable[_Path], None] = ...,
        label: Optional[str] = ...) -> LlmResult: ...
def llm_rank(model: ModelArg, *, tokens_per_s: float, context: int = ...,
             prompt: Optional[int] = ..., quant: str = ..., kv: str = ...,
             chip_files: Union[_Path, Iterable[_Path], None] = ...,
             label: Optional[str] = ...) -> LlmRankResult: ...
def scenarios() -> List[str]: ...
def precisions() -> List[str]: ...
def build_info() -> Dict[str, Any]: ...
def counting_conventions() -> List[str]: ...
def conv2d_macs(cin: int, cout: int, kernel_h: int, kernel_w: int, out_h: int, out_w: int,
                groups: int = ..., batch: int = ...) -> int: ...
def depthwise_macs(channels: int, kernel_h: int, kernel_w: int, out_h: int, out_w: int,
                   batch: int = ...) -> int: ...
def linear_macs(in_features: int, out_features: int, batch: int = ...) -> int: ...
def matmul_macs(m: int, k: int, n: int, batch: int = ...) -> int: ...
