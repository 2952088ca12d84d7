# Type stubs of tops.compat (the seed article's API).
from typing import Any, Dict, Optional, Sequence, Tuple, Union

from . import Profile

def conv2d_macs(in_channels: int, out_channels: int, kernel_size: int, output_size: int) -> int: ...
def profile(model: Any, inputs: Sequence[Any]) -> Tuple[float, float]: ...

class ModelComputeAnalyzer:
    model: Any
    input_size: Sequence[int]
    macs: float
    params: Optional[float]
    profile: Optional[Profile]
    def __init__(self, model: Any, input_size: Sequence[int] = ...) -> None: ...
    def estimate_requirements(self, frame_rate: float = ..., precision: str = ...) -> float: ...
    def check_hardware(self, chip_tops: float, precision: str = ..., utilization: float = ...,
                       frame_rate: float = ...) -> Dict[str, Any]: ...
