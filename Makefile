# pglab: `make run` and `make test`. Each installs missing Debian 12 packages with apt-get,
# configures a Release build in build/, and builds. Nothing is downloaded but Debian packages.

PACKAGES := cmake make g++ pkg-config libeigen3-dev nlohmann-json3-dev libglfw3-dev libimgui-dev \
            libepoxy-dev libcli11-dev libstb-dev libgtest-dev libgmock-dev libbenchmark-dev xvfb xauth \
            fonts-dejavu-core python3
BUILD    := build
JOBS     := $(shell nproc 2>/dev/null || echo 2)

.PHONY: run test deps configure build clean

run: build
	./$(BUILD)/app/pglab $(ARGS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

build: configure
	cmake --build $(BUILD) -j$(JOBS)

configure: deps
	@test -f $(BUILD)/CMakeCache.txt || cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

# Installs only what is missing. Without root or apt-get it says what to run instead.
deps:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
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
	rm -rf $(BUILD)
