# evident: one command for each job. `make demo` and `make test` do all set-up on a fresh machine.
SWIFT ?= swift
PREFIX ?= /usr/local
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build release demo test conformance install clean

# System packages: libgit2 (through pkg-config) and zlib; apt-get on Debian/Ubuntu, brew on macOS.
deps:
	@if pkg-config --exists libgit2 2>/dev/null; then :; \
	elif command -v apt-get >/dev/null; then \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libgit2-dev pkg-config zlib1g-dev >/dev/null; \
	elif command -v brew >/dev/null; then brew install libgit2 pkg-config; \
	else echo "install libgit2 (with pkg-config) by hand" >&2; exit 2; fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Builds the sample FG-200 product repository and runs check, coverage and export on it.
demo: build
	@rm -rf .demo
	$(SWIFT) run -q evident demo .demo

test: deps
	$(SWIFT) test

install: release
	install -d $(PREFIX)/bin
	install -m 0755 .build/release/evident $(PREFIX)/bin/evident

clean:
	rm -rf .build .demo
