# apnsctl — see README.md. `make demo` and `make test` install what is missing first (scripts/bootstrap).
PREFIX ?= /usr/local
SWIFT ?= swift
BIN := .build/release/apnsctl

.PHONY: all build debug test demo bench docs install uninstall bootstrap clean fuzz sanitize

all: build

bootstrap:
	@scripts/bootstrap

build: bootstrap
	$(SWIFT) build -c release

debug: bootstrap
	$(SWIFT) build

# Unit tests, then the integration tests that run the built apnsctl against `apnsctl mock` over TLS on 127.0.0.1.
test: bootstrap
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

# libFuzzer targets for every parser (Fuzz/, seeds in Tests/Fuzz/), FUZZ_SECONDS (60) each; fails on a crash, leak
# or timeout. Built apart (.build-fuzz) with -sanitize=fuzzer,address; not part of `make test`.
fuzz: bootstrap
	scripts/fuzz

# The test suite under ThreadSanitizer, then under AddressSanitizer (own scratch paths; leaks that live until exit
# by design are listed in Tests/Sanitizers/lsan.supp). SANITIZE_FILTER narrows both runs (swift test --filter).
sanitize: bootstrap
	scripts/sanitize

# Regenerates the man page and completions from the option table (a test fails when they drift).
docs: debug
	.build/debug/apnsctl generate man > man/apnsctl.1
	.build/debug/apnsctl generate bash > completions/apnsctl.bash
	.build/debug/apnsctl generate zsh > completions/_apnsctl
	.build/debug/apnsctl generate fish > completions/apnsctl.fish

install: build
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
	rm -rf .build .build-fuzz .build-tsan .build-asan demo/out bench/out bench/profile
