# pglab: `make run` and `make test`. Each installs missing Debian 12 packages with apt-get,
# configures a Release build in build/, and builds. Nothing is downloaded but Debian packages.
#   make test-asan                 core, CLI and tests under ASan+UBSan in build-asan/, then CTest
#   make fuzz [FUZZ_SECONDS=600]   libFuzzer targets (clang) in build-fuzz/, each fuzzed that long

PACKAGES := cmake make g++ pkg-config libeigen3-dev nlohmann-json3-dev libglfw3-dev libimgui-dev \
            libepoxy-dev libcli11-dev libstb-dev libgtest-dev libgmock-dev libbenchmark-dev xvfb xauth \
            fonts-dejavu-core python3 python3-dev pybind11-dev python3-numpy
# Testing only: clang's libFuzzer and sanitizer runtimes (tests/fuzz), clang-format (format check),
# pytest for the Python module's tests (tests/python).
TEST_PACKAGES := clang libclang-rt-14-dev clang-format-14 python3-pytest
BUILD    := build
JOBS     := $(shell nproc 2>/dev/null || echo 2)
ASAN_BUILD   := build-asan
FUZZ_BUILD   := build-fuzz
FUZZ_SECONDS := 600
# Sanitized builds keep line tables only (-g1): reports still name file:line, and g++ compiles the
# Eigen-heavy sources ~20% faster than with full -g (the ASan build is the longest part of CI).
LINE_TABLES  := -O2 -g1 -DNDEBUG
SANITIZE     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CCACHE       := $(if $(shell command -v ccache 2>/dev/null),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)

.PHONY: run test test-asan fuzz deps test-deps configure build clean

run: build
	./$(BUILD)/app/pglab $(ARGS)

test: test-deps build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# Portable code (no -march=native), no window (the GUI tests need a GL driver that ASan cannot
# see into), no fuzz tests (they have their own sanitized build). Any sanitizer report aborts the
# process, so it fails its test.
test-asan: test-deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$(LINE_TABLES)" -DPGLAB_NATIVE=OFF -DPGLAB_BUILD_APP=OFF \
	  -DPGLAB_FUZZ_TESTS=OFF -DPGLAB_PYTHON=OFF -DPGLAB_SANITIZE=ON -DPGLAB_CHECK_FORMAT=OFF -DCMAKE_CXX_FLAGS="$(SANITIZE)" -DCMAKE_EXE_LINKER_FLAGS="$(SANITIZE)" $(CCACHE)
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j$(JOBS)

fuzz: test-deps
	bash tests/fuzz/run_fuzz.sh all $(FUZZ_BUILD) $(FUZZ_SECONDS)

build: configure
	cmake --build $(BUILD) -j$(JOBS)

configure: deps
	@test -f $(BUILD)/CMakeCache.txt || cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

# Installs only what is missing. Without root or apt-get it says what to run instead.
deps: PKGS = $(PACKAGES)
test-deps: PKGS = $(PACKAGES) $(TEST_PACKAGES)
deps test-deps:
	@missing=""; for p in $(PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "pglab: installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing || { \
	      echo "pglab: apt-get failed. Install these packages yourself, then run make again:"; \
	      echo "  sudo apt-get install$$missing"; exit 1; }; \
	  elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then \
	    echo "pglab: not root; trying sudo apt-get"; \
	    sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends $$missing || { \
	      echo "pglab: could not install. Run, as root:  apt-get install$$missing"; exit 1; }; \
	  else \
	    echo "pglab: apt-get is not usable here. On Debian 12, as root, run:"; \
	    echo "  apt-get install$$missing"; exit 1; \
	  fi; \
	fi

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
