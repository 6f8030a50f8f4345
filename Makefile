# apnmap — one Makefile for the library, the CLI, tests, fuzzing and benchmarks.
#
#   make              build/apnmap (installs missing Debian packages first)
#   make test         every test: units, golden CLI cases, fuzz-corpus replay, scripts
#   make test-san     the same suite built with ASan+UBSan into build/san/
#   make demo         build the bundled corpus and its report into out/demo/
#   make fuzz         libFuzzer targets (clang), FUZZ_SECONDS each
#   make bench        benchmarks against the reference pipeline
#   make fresh-check  `make demo` and `make test` on a pristine Debian 12 (root, network)
#   make install      the program, its corpus, apnmap(1) and bash completion under
#                     $(DESTDIR)$(PREFIX) (default /usr/local); make uninstall removes them
#   make SANITIZE=address,undefined   any target with sanitizers (own build dir)
#   make WERROR=1     warnings are errors (CI)
# A change of compiler or flags (WERROR, SANITIZE, CFLAGS, ...) rebuilds what they built.

SANITIZE ?=
WERROR ?=
CC ?= cc
ifneq ($(SANITIZE),)
BUILD ?= build/san
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT ?= -O1 -g
else
BUILD ?= build
SANFLAGS :=
OPT ?= -O2 -g
endif

PKGS := libxml-2.0 libzip sqlite3 jansson libcurl libcrypto zlib xlsxwriter
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wwrite-strings -Wformat=2 -Wno-format-nonliteral $(if $(WERROR),-Werror)
# pkg-config runs when a recipe needs it, after the deps stamp has installed it.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(filter-out libcurl,$(PKGS))) -lpthread -lm
CFLAGS_ALL = -std=c17 -D_GNU_SOURCE $(OPT) $(WARN) $(SANFLAGS) -Iinclude -Isrc -I$(BUILD)/gen $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(SANFLAGS) $(LDFLAGS)

LIB_SRC := $(sort $(wildcard src/util/*.c src/read/*.c src/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
GEN_SRC := $(BUILD)/gen/schema.c $(BUILD)/gen/webassets.c
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/schema.o $(BUILD)/obj/gen/webassets.o
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/tests/unit/main.o $(BUILD)/obj/tests/unit/helpers.o
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_NAMES := $(FUZZ_SRC:fuzz/fuzz_%.c=%)
DEPS_STAMP := build/.deps-ok

.PHONY: all deps test test-san test-oom test-oom-run demo fuzz bench corpus clean headertest web fresh-check \
        install uninstall FORCE
all: $(BUILD)/apnmap

deps: $(DEPS_STAMP)
$(DEPS_STAMP): tools/deps.txt tools/deps.sh
	@mkdir -p build
	tools/deps.sh
	@touch $@

# The compiler and flags every object and program of $(BUILD) was made with: the
# file changes (and so everything depending on it is rebuilt) only when they do.
FLAGS := $(BUILD)/.flags
$(FLAGS): FORCE | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@printf '%s\n' '$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) $(PKG_LIBS)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
FORCE:

$(BUILD)/obj/%.o: %.c $(FLAGS) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

# cmd_plan.c still fills its option table by position (fields left out are zero):
# until it uses cli.h's CLI_* rows, the missing-field warning is off for it alone
# (private: not inherited by its prerequisite $(FLAGS)).
$(BUILD)/obj/src/cli/cmd_plan.o: private CFLAGS_ALL += -Wno-missing-field-initializers

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c $(FLAGS) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/gen/schema.c: src/schema.sql tools/embed.sh
	@mkdir -p $(dir $@)
	tools/embed.sh apn__schema_sql $< > $@

# The report's web assets (template, and cytoscape.js when web/ has installed it).
CYTOSCAPE := web/node_modules/cytoscape/dist/cytoscape.min.js
WEB_ASSETS := $(sort $(wildcard web/*.html web/*.css web/*.js)) $(CYTOSCAPE)
# cytoscape.js from npm, version pinned by web/package-lock.json, never committed.
$(CYTOSCAPE): web/package.json web/package-lock.json | $(DEPS_STAMP)
	npm ci --prefix web --no-audit --no-fund --prefer-offline
	@touch $@
$(BUILD)/gen/webassets.c: $(WEB_ASSETS) tools/embed.sh tools/webassets.sh
	@mkdir -p $(dir $@)
	tools/webassets.sh $(WEB_ASSETS) > $@.$$$$ && mv $@.$$$$ $@

$(BUILD)/libapnmap.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/apnmap: $(CLI_OBJ) $(BUILD)/libapnmap.a $(FLAGS)
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(BUILD)/libapnmap.a $(PKG_LIBS)

# apnmap(1), from the same specs as --help (apnmap help --man).
$(BUILD)/apnmap.1: $(BUILD)/apnmap
	$< help --man > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/unit_registry.h: $(UNIT_SRC)
	@mkdir -p $(dir $@)
	@sed -n 's/^TEST(\([A-Za-z0-9_]*\)).*/X(\1)/p' $(UNIT_SRC) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/tests/unit/main.o: $(BUILD)/gen/unit_registry.h

$(BUILD)/unit: $(UNIT_OBJ) $(BUILD)/libapnmap.a $(FLAGS)
	$(CC) $(LDFLAGS_ALL) -o $@ $(UNIT_OBJ) $(BUILD)/libapnmap.a $(PKG_LIBS)

# Each fuzz target also links against a gcc-built replay driver for `make test`.
$(BUILD)/fuzz-replay-%: $(BUILD)/obj/fuzz/fuzz_%.o $(BUILD)/obj/fuzz/standalone.o $(BUILD)/libapnmap.a $(FLAGS)
	$(CC) $(LDFLAGS_ALL) -o $@ $(filter-out $(FLAGS),$^) $(PKG_LIBS)

# The fault-injection driver (tests/oom/oom.c) links the library like a client.
$(BUILD)/oom: $(BUILD)/obj/tests/oom/oom.o $(BUILD)/libapnmap.a $(FLAGS)
	$(CC) $(LDFLAGS_ALL) -o $@ $(filter-out $(FLAGS),$^) $(PKG_LIBS)

TEST_BINS := $(BUILD)/apnmap $(BUILD)/apnmap.1 $(BUILD)/unit $(FUZZ_NAMES:%=$(BUILD)/fuzz-replay-%) $(BUILD)/oom

test: $(TEST_BINS)
	tests/run $(BUILD)

test-san:
	$(MAKE) SANITIZE=address,undefined test

# every allocation of a small build made to fail, under ASan (leaks, crashes)
test-oom:
	$(MAKE) SANITIZE=address,undefined test-oom-run
test-oom-run: $(TEST_BINS)
	OOM_FULL=1 tests/run $(BUILD) oom

headertest: | $(DEPS_STAMP)
	@for h in include/apnmap/*.h; do \
	  printf '#include <apnmap/%s>\n' $$(basename $$h) | \
	  $(CC) -std=c11 -Wall -Wextra -Werror -Iinclude -x c -fsyntax-only - || exit 1; done; echo headertest ok

demo: $(BUILD)/apnmap
	$(BUILD)/apnmap demo -o out/demo

corpus: $(BUILD)/apnmap
	tools/gen-corpus.sh

FUZZ_SECONDS ?= 60
fuzz: | $(DEPS_STAMP)
	tools/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_NAMES)

bench: $(BUILD)/apnmap
	bench/run.sh

# A new user's first commands on a minimal Debian 12 that has only git, ca-certificates
# and make: the fresh-debian script (kept with the project's shared tools, beside the
# checkout; FRESH_DEBIAN names another copy) clones the committed HEAD into a fresh
# root and runs them there. Needs root and Debian's package mirror.
FRESH_DEBIAN ?= ../shared/tools/fresh-debian
fresh-check:
	@test -x "$(FRESH_DEBIAN)" || { echo "fresh-check: $(FRESH_DEBIAN) not found (set FRESH_DEBIAN=...)"; exit 2; }
	$(FRESH_DEBIAN) . -- "make demo" "make test"

# Installed: PREFIX/bin/apnmap finds its corpus at ../share/apnmap/corpus (the
# demo runs from any folder); the man page and the bash completion where man and
# bash-completion look. DESTDIR stages the whole tree elsewhere (packaging).
PREFIX ?= /usr/local
DESTDIR ?=
I_BIN = $(DESTDIR)$(PREFIX)/bin
I_DATA = $(DESTDIR)$(PREFIX)/share/apnmap
I_MAN = $(DESTDIR)$(PREFIX)/share/man/man1
I_COMP = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
install: $(BUILD)/apnmap $(BUILD)/apnmap.1
	install -d '$(I_BIN)' '$(I_DATA)' '$(I_MAN)' '$(I_COMP)'
	install -m 755 $(BUILD)/apnmap '$(I_BIN)/apnmap'
	install -m 644 $(BUILD)/apnmap.1 '$(I_MAN)/apnmap.1'
	install -m 644 src/cli/apnmap.bash '$(I_COMP)/apnmap'
	install -m 644 data/README.md '$(I_DATA)/README.md'
	rm -rf '$(I_DATA)/corpus'
	cp -R data/corpus '$(I_DATA)/corpus'
	chmod -R u+rwX,go+rX,go-w '$(I_DATA)/corpus'
uninstall:
	rm -f '$(I_BIN)/apnmap' '$(I_MAN)/apnmap.1' '$(I_COMP)/apnmap'
	rm -rf '$(I_DATA)'

clean:
	rm -rf build out

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# Keep the fuzz objects make builds on the way to fuzz-replay-*: deleting them
# as intermediates made every `make test` compile them again.
.SECONDARY:
