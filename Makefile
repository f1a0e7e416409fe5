# vigil build. `make` builds build/vigil; `make SAN=1` builds build/san/ with
# ASan+UBSan (what the tests use). Entry points for people: scripts/run.
CC      ?= cc
PKGS    := sqlite3 yaml-0.1 jansson libsodium libhs libpcre2-8 yara libssl libcrypto zlib libzstd libnftables libnftnl libmnl libcurl libmicrohttpd
SAN     ?= 0
ifeq ($(SAN),1)
BUILD   ?= build/san
OPT     := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else
BUILD   ?= build
OPT     := -O2 -g
endif
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 -MMD -MP \
           $(OPT) -Isrc $(shell pkg-config --cflags $(PKGS))
LDFLAGS += $(OPT)
LDLIBS  += $(shell pkg-config --libs $(PKGS)) -lm -lpthread

# Installation (make install PREFIX=/usr DESTDIR=...). The data and configuration
# directories are compiled into core/paths.c, so an installed vigil finds its rules
# and /etc/vigil/vigil.yaml without flags; state always lives in /var/lib/vigil.
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share/vigil
MANDIR     ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
COMPDIR    ?= $(PREFIX)/share/bash-completion/completions
UNITDIR    ?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)
DIRS_DEFS  := -DVIGIL_DATADIR='"$(DATADIR)"' -DVIGIL_SYSCONFDIR='"$(SYSCONFDIR)"'

LIB_SRC  := $(shell find src -name '*.c' ! -name main.c | sort)
# Store migrations (src/core/sql/<backend>/NNN_*.sql) are compiled in as byte arrays.
SQL_SRC  := $(sort $(wildcard src/core/sql/*/*.sql))
SQL_GEN  := $(BUILD)/gen/store_migrations.c
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(SQL_GEN:.c=.o) $(BUILD)/gen/web_assets.o
# The console's pages, embedded into the binary (scripts/embed-assets).
WEB_FILES := $(shell find web -type f ! -name '.*' | sort)
UNIT_SRC := $(shell find tests -name 'test_*.c' | sort)
UNIT_BIN := $(UNIT_SRC:%.c=$(BUILD)/%)
BENCH_SRC := $(wildcard bench/*.c)
BENCH_BIN := $(BENCH_SRC:%.c=$(BUILD)/%)
# Man pages: scdoc sources beside the code (tests/integration/11_man.sh keeps them
# in step with --help).
MAN_SRC  := $(wildcard doc/man/*.scd)
MAN_OUT  := $(MAN_SRC:doc/man/%.scd=$(BUILD)/man/%)

.PHONY: all unit bench man install uninstall clean FORCE
all: $(BUILD)/vigil
unit: $(UNIT_BIN)
bench: $(BUILD)/vigil $(BENCH_BIN)
man: $(MAN_OUT)

$(BUILD)/libvigil.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/vigil: $(BUILD)/src/main.o $(BUILD)/libvigil.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(SQL_GEN): $(SQL_SRC) scripts/sql2c
	@mkdir -p $(@D)
	sh scripts/sql2c src/core/sql $@

$(SQL_GEN:.c=.o): $(SQL_GEN)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/gen/web_assets.c: scripts/embed-assets $(WEB_FILES)
	@mkdir -p $(@D)
	bash scripts/embed-assets web > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/web_assets.o: $(BUILD)/gen/web_assets.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/man/%: doc/man/%.scd
	@mkdir -p $(@D)
	scdoc <$< >$@.tmp && mv $@.tmp $@

# A changed PREFIX or SYSCONFDIR rebuilds paths.o: the stamp changes only then.
$(BUILD)/src/core/paths.o: CFLAGS += $(DIRS_DEFS)
$(BUILD)/src/core/paths.o: $(BUILD)/gen/dirs.stamp
$(BUILD)/gen/dirs.stamp: FORCE
	@mkdir -p $(@D)
	@echo "$(DATADIR) $(SYSCONFDIR)" | cmp -s - $@ || echo "$(DATADIR) $(SYSCONFDIR)" >$@

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(BUILD)/libvigil.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< $(BUILD)/libvigil.a \
		$(LDLIBS) $(shell pkg-config --libs cmocka)

# The CRS replay harness is a peer, not vigil: it links libmodsecurity only.
$(BUILD)/bench/crs_replay: bench/crs_replay.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o $@ $< \
		$(shell pkg-config --cflags --libs modsecurity)

$(BUILD)/bench/%: bench/%.c $(BUILD)/libvigil.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libvigil.a $(LDLIBS)

# Configuration and state are the administrator's: an existing vigil.yaml is never
# overwritten, and uninstall leaves /etc/vigil and /var/lib/vigil alone.
install: $(BUILD)/vigil man
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(COMPDIR) $(DESTDIR)$(SYSCONFDIR)/vigil
	install -m 0755 $(BUILD)/vigil $(DESTDIR)$(BINDIR)/vigil
	cd rules && find . -type d -exec install -d -m 0755 '$(DESTDIR)$(DATADIR)/rules/{}' ';'
	cd rules && find . -type f -exec install -m 0644 '{}' '$(DESTDIR)$(DATADIR)/rules/{}' ';'
	install -m 0644 $(filter %.1,$(MAN_OUT)) $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 $(filter %.5,$(MAN_OUT)) $(DESTDIR)$(MANDIR)/man5/
	for u in vigil-watch vigil-serve; do \
		sed 's|@BINDIR@|$(BINDIR)|g' dist/$$u.service.in >$(DESTDIR)$(UNITDIR)/$$u.service && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$u.service || exit 1; done
	install -m 0644 dist/vigil.bash-completion $(DESTDIR)$(COMPDIR)/vigil
	test -e $(DESTDIR)$(SYSCONFDIR)/vigil/vigil.yaml || \
		install -m 0600 dist/vigil.yaml $(DESTDIR)$(SYSCONFDIR)/vigil/vigil.yaml
	install -d -m 0700 $(DESTDIR)/var/lib/vigil $(DESTDIR)/var/cache/vigil

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/vigil $(DESTDIR)$(COMPDIR)/vigil \
		$(DESTDIR)$(UNITDIR)/vigil-watch.service $(DESTDIR)$(UNITDIR)/vigil-serve.service \
		$(patsubst $(BUILD)/man/%,$(DESTDIR)$(MANDIR)/man1/%,$(filter %.1,$(MAN_OUT))) \
		$(patsubst $(BUILD)/man/%,$(DESTDIR)$(MANDIR)/man5/%,$(filter %.5,$(MAN_OUT)))
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
