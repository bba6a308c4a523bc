# apnsctl — see README.md. `make demo` and `make test` install what is missing first (scripts/bootstrap).
PREFIX ?= /usr/local
SWIFT ?= swift
# What `make install` installs: the toolchain-free binary `make dist` builds (it runs without Swift installed).
BIN := .build-dist/apnsctl

.PHONY: all build debug test demo bench docs install uninstall bootstrap clean stamp dist deb dist-check fuzz sanitize

all: build

bootstrap:
	@scripts/bootstrap

# The version `apnsctl --version` prints: scripts/version writes it (git describe, commit) into a gitignored
# header before each build; a plain `swift build` leaves it out and the binary says it is unstamped.
stamp:
	@scripts/version --stamp Sources/CBuildStamp/stamp.h

build: bootstrap stamp
	$(SWIFT) build -c release

debug: bootstrap stamp
	$(SWIFT) build

# Unit tests, then the integration tests that run the built apnsctl against `apnsctl mock` over TLS on 127.0.0.1.
test: bootstrap stamp
	$(SWIFT) build
	$(SWIFT) test

demo: build
	scripts/demo

# Throughput, CPU and memory of `apnsctl send` against `apnsctl mock`, and against h2load (nghttp2-client,
# installed by `scripts/bootstrap --bench`). Measures only, never passes or fails on time; not part of `make test`.
# BENCH_ROWS (200000), BENCH_MULTIPLIER (10) and BENCH_RUNS (3) change its size; see scripts/bench --help.
bench: build
	scripts/bootstrap --bench
	scripts/bench

# dist/apnsctl-VERSION-linux-ARCH.tar.gz (+ .sha256): a stripped release binary with the Swift runtime linked in
# (it needs only glibc, libstdc++, libssl3, libnghttp2-14 and zlib1g), the man page, the completions, README and LICENSE.
dist: bootstrap stamp
	scripts/bootstrap --dist
	scripts/dist

# dist/apnsctl_VERSION_ARCH.deb from the same binary; Depends computed by dpkg-shlibdeps.
deb: dist
	scripts/deb

# Checks what `make dist` and `make deb` made: the binary runs with the Swift toolchain hidden (and sends to
# `apnsctl mock`), the .deb holds the expected files and Depends and is lintian clean, the Containerfile names
# only what the .deb has, and the CI smoke-push recipe's mock variant passes. Needs root (unshare --mount).
dist-check: deb
	scripts/dist-check

# libFuzzer targets for every parser (Fuzz/, seeds in Tests/Fuzz/), FUZZ_SECONDS (60) each; fails on a crash, leak
# or timeout. Built apart (.build-fuzz) with -sanitize=fuzzer,address; not part of `make test`.
fuzz: bootstrap
	scripts/fuzz

# The test suite under ThreadSanitizer, then under AddressSanitizer (own scratch paths; leaks that live until exit
# by design are listed in Tests/Sanitizers/lsan.supp). SANITIZE_FILTER narrows both runs (swift test --filter).
sanitize: bootstrap
	scripts/sanitize

# Regenerates the man page, the completions and README's config settings table from the option table (a test
# fails when they drift).
docs: debug
	.build/debug/apnsctl generate man > man/apnsctl.1
	.build/debug/apnsctl generate bash > completions/apnsctl.bash
	.build/debug/apnsctl generate zsh > completions/_apnsctl
	.build/debug/apnsctl generate fish > completions/apnsctl.fish
	scripts/readme-settings .build/debug/apnsctl README.md

install: dist
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/apnsctl
	install -m 644 man/apnsctl.1 $(DESTDIR)$(PREFIX)/share/man/man1/apnsctl.1
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	           $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	           $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 644 completions/apnsctl.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/apnsctl
	install -m 644 completions/_apnsctl $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_apnsctl
	install -m 644 completions/apnsctl.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/apnsctl.fish

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/apnsctl $(DESTDIR)$(PREFIX)/share/man/man1/apnsctl.1 \
	      $(DESTDIR)$(PREFIX)/share/bash-completion/completions/apnsctl \
	      $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_apnsctl \
	      $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/apnsctl.fish

clean:
	rm -rf .build .build-dist .build-fuzz .build-tsan .build-asan dist demo/out bench/out bench/profile Sources/CBuildStamp/stamp.h
