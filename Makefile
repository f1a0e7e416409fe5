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

.PHONY: all unit bench man clean
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
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/gen/web_assets.c: scripts/embed-assets $(WEB_FILES)
	@mkdir -p $(@D)
	bash scripts/embed-assets web > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/web_assets.o: $(BUILD)/gen/web_assets.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/man/%: doc/man/%.scd
	@mkdir -p $(@D)
	scdoc <$< >$@.tmp && mv $@.tmp $@

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

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

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
