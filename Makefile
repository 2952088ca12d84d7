# Front door: `make run` and `make test` work on a fresh Debian 12 machine.
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
EXAMPLE ?= examples/resnet18.onnx

.PHONY: all deps deps-test configure build run test test-sanitize bench fuzz format clean package \
  test-deb python

all: build

deps:
	./scripts/install-deps.sh

deps-test:
	./scripts/install-deps.sh --test

# `make test` and `make run` build without the benchmarks (`make bench` has its own tree).
# Debug information is line tables only (-g1: enough for backtraces and perf), which compiles
# about a third faster than full -g.
$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTOPS_BUILD_BENCH=OFF \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"

configure: $(BUILD)/CMakeCache.txt

build: deps configure
	cmake --build $(BUILD) -j $(JOBS)

# The main job: the example model's profile, its fit on the four chips of the seed article's
# table (with corrected figures: docs/hardware.md), and every catalog chip ranked.
ARTICLE_CHIPS ?= jetson_agx_xavier ascend_310 rk3588 qualcomm_rb5_qrb5165
FPS ?= 30
run: build
	./$(BUILD)/tops profile $(EXAMPLE) --top 10
	./$(BUILD)/tops require $(EXAMPLE) --fps $(FPS)
	@for chip in $(ARTICLE_CHIPS); do \
	  echo; echo "=== tops fit $(EXAMPLE) --chip $$chip --fps $(FPS) --precision int8"; \
	  ./$(BUILD)/tops fit $(EXAMPLE) --chip $$chip --fps $(FPS) --precision int8 || exit $$?; \
	done
	@echo; echo "=== tops rank $(EXAMPLE) --fps $(FPS) --precision int8"
	./$(BUILD)/tops rank $(EXAMPLE) --fps $(FPS) --precision int8

test: deps-test configure
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# One sanitizer tree (clang, ASan + UBSan, libFuzzer instrumentation) serves both the suite
# under sanitizers and the fuzz targets, so CI compiles the library twice, not three times.
SAN ?= $(BUILD)-san
$(SAN)/CMakeCache.txt:
	cmake -S . -B $(SAN) -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_CXX_FLAGS_DEBUG="-gline-tables-only -O1" -DTOPS_SANITIZE=ON -DTOPS_FUZZ=ON -DTOPS_BUILD_BENCH=OFF

# The full re-solve of every published row (CalibrationSolver.CatalogIsTheSolver...) is double
# arithmetic that `make test` runs unsanitized in ~40 s; under ASan it passes the 300 s timeout.
# The solver's code still runs sanitized in the half-chip test (CalibrationSolver.HalfOf...).
test-sanitize: deps-test $(SAN)/CMakeCache.txt
	cmake --build $(SAN) -j $(JOBS)
	cd $(SAN) && ctest --output-on-failure -j $(JOBS) \
	  -E '^(browser_report|CalibrationSolver.CatalogIsTheSolverOutputAndPredictsWhatItFitted)$$'

# libFuzzer over tests/fuzz/corpus for FUZZ_SECONDS; a crash, leak, timeout or large
# allocation fails the target and leaves the input in $(SAN)/artifacts/.
FUZZ_SECONDS ?= 60
# Then the chip-file target (tests/fuzz/fuzz_catalog.cc) for FUZZ_CATALOG_SECONDS,
# the Hugging Face config target (tests/fuzz/fuzz_hf_config.cc) for FUZZ_HF_SECONDS, the
# TFLite target (tests/fuzz/fuzz_tflite.cc) for FUZZ_TFLITE_SECONDS and the user-measurements
# target (tests/fuzz/fuzz_measurements.cc: CSV, trtexec and benchmark_model output) for
# FUZZ_MEASUREMENTS_SECONDS.
FUZZ_CATALOG_SECONDS ?= 30
FUZZ_HF_SECONDS ?= 30
FUZZ_TFLITE_SECONDS ?= 60
FUZZ_MEASUREMENTS_SECONDS ?= 30
fuzz: deps-test $(SAN)/CMakeCache.txt
	cmake --build $(SAN) -j $(JOBS) --target fuzz_profile fuzz_catalog fuzz_hf_config fuzz_tflite \
	  fuzz_measurements
	mkdir -p $(SAN)/corpus $(SAN)/corpus-catalog $(SAN)/corpus-hf $(SAN)/corpus-tflite \
	  $(SAN)/corpus-measurements $(SAN)/artifacts
	./$(SAN)/tests/fuzz/fuzz_profile -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	  -rss_limit_mb=1024 -malloc_limit_mb=256 -max_len=100000 -print_final_stats=1 \
	  -dict=tests/fuzz/onnx.dict -artifact_prefix=$(SAN)/artifacts/ \
	  $(SAN)/corpus tests/fuzz/corpus tests/fuzz/regressions
	./$(SAN)/tests/fuzz/fuzz_catalog -max_total_time=$(FUZZ_CATALOG_SECONDS) -timeout=10 \
	  -rss_limit_mb=1024 -malloc_limit_mb=256 -max_len=20000 -print_final_stats=1 \
	  -artifact_prefix=$(SAN)/artifacts/catalog- \
	  $(SAN)/corpus-catalog data/chips tests/hw/data
	./$(SAN)/tests/fuzz/fuzz_hf_config -max_total_time=$(FUZZ_HF_SECONDS) -timeout=10 \
	  -rss_limit_mb=1024 -malloc_limit_mb=256 -max_len=20000 -print_final_stats=1 \
	  -artifact_prefix=$(SAN)/artifacts/hf- \
	  $(SAN)/corpus-hf tests/llm/configs tests/fuzz/corpus_hf
	./$(SAN)/tests/fuzz/fuzz_tflite -max_total_time=$(FUZZ_TFLITE_SECONDS) -timeout=10 \
	  -rss_limit_mb=1024 -malloc_limit_mb=256 -max_len=100000 -print_final_stats=1 \
	  -dict=tests/fuzz/tflite.dict -artifact_prefix=$(SAN)/artifacts/tflite- \
	  $(SAN)/corpus-tflite tests/fuzz/corpus_tflite
	./$(SAN)/tests/fuzz/fuzz_measurements -max_total_time=$(FUZZ_MEASUREMENTS_SECONDS) -timeout=10 \
	  -rss_limit_mb=1024 -malloc_limit_mb=256 -max_len=70000 -print_final_stats=1 \
	  -dict=tests/fuzz/measurements.dict -artifact_prefix=$(SAN)/artifacts/measurements- \
	  $(SAN)/corpus-measurements tests/fuzz/corpus_measurements tests/calibrate/logs

# Debian package (cmake/package.cmake): $(BUILD)/tops_<version>_<arch>.deb.
package: build
	cmake --build $(BUILD) --target package -j $(JOBS)

# Builds the package, installs it with apt, runs the installed tops and man page, removes it
# (scripts/test-deb.sh; needs root).
test-deb: package
	./scripts/test-deb.sh $(BUILD)

# Benchmarks: an optimised tree of their own, so `make test` never builds them.
BENCH_BUILD ?= $(BUILD)-bench
bench: deps-test
	cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTOPS_BUILD_BENCH=ON \
	  -DTOPS_BUILD_TESTS=OFF
	cmake --build $(BENCH_BUILD) -j $(JOBS)
	./bench/compare.sh $(BENCH_BUILD)

# ---- Python package (python/, docs/python.md) ----------------------------------------------
# Builds the extension in $(BUILD) and installs `tops` into the virtual environment $(VENV),
# made from the system interpreter with --system-site-packages (so Debian's torch, numpy and
# pandas are seen), offline: no build isolation, no package index.
VENV ?= .venv
PYTHON ?= /usr/bin/python3
python: deps
	test -x $(VENV)/bin/python || $(PYTHON) -m venv --system-site-packages $(VENV)
	TOPS_BUILD_DIR=$(abspath $(BUILD)) JOBS=$(JOBS) $(VENV)/bin/pip install --no-build-isolation \
	  --no-index --no-deps .
	$(VENV)/bin/python -c "import tops; print('tops', tops.__version__, tops.__file__)"

format:
	find include src tools tests bench python -name '*.cc' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(SAN) $(BENCH_BUILD)
