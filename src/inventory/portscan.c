/* What both scan engines share: defaults, the descriptor budget, the adaptive
 * timeout and the permutation of the hosts x ports space. */
#include "inventory/portscan.h"
#include "core/err.h"

#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <time.h>

const char *
port_state_name(enum port_state s)
{
	switch (s) {
	case PORT_OPEN: return "open";
	case PORT_CLOSED: return "closed";
	case PORT_FILTERED: return "filtered";
	}
	return "?";
}

const char *
port_reason_name(enum port_reason r)
{
	switch (r) {
	case REASON_SYN_ACK: return "syn-ack";
	case REASON_CONNECTED: return "connected";
	case REASON_RST: return "reset";
	case REASON_UNREACH: return "unreachable";
	case REASON_TIMEOUT: return "no-response";
	}
	return "?";
}

void
portscan_defaults(struct portscan_opts *o)
{
	if (o->max_inflight <= 0)
		o->max_inflight = 16384;
	if (o->retries < 0)
		o->retries = 0;
	if (o->init_timeout_us <= 0)
		o->init_timeout_us = 1000000;
	if (o->min_timeout_us <= 0)
		o->min_timeout_us = 50000;
	if (o->max_timeout_us <= 0)
		o->max_timeout_us = 3000000;
	if (o->max_timeout_us < o->min_timeout_us)
		o->max_timeout_us = o->min_timeout_us;
	if (!o->seed)
		o->seed = portscan_random_seed();
}

int
portscan_fd_budget(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 16;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		/* failure leaves the old limit, which is still usable */
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	/* keep room for the store, the probe files, stdio and the service phase */
	rlim_t budget = rl.rlim_cur > 256 ? rl.rlim_cur - 128 : rl.rlim_cur / 2;
	if (budget > 65536)
		budget = 65536;
	return budget < 16 ? 16 : (int)budget;
}

void
rtt_update(struct rtt_est *e, int64_t s)
{
	if (s < 1)
		s = 1;
	if (e->samples++ == 0) {
		e->srtt = s;
		e->rttvar = s / 2;
		return;
	}
	int64_t d = s - e->srtt;
	e->srtt += d / 8;
	e->rttvar += ((d < 0 ? -d : d) - e->rttvar) / 4;
}

int64_t
rtt_timeout(const struct rtt_est *e, const struct portscan_opts *o, int attempt)
{
	int64_t t = e->samples ? e->srtt + 4 * e->rttvar : o->init_timeout_us;
	if (t < o->min_timeout_us)
		t = o->min_timeout_us;
	for (int i = 0; e->samples < 3 && i < attempt && t < o->max_timeout_us; i++)
		t *= 2;
	return t > o->max_timeout_us ? o->max_timeout_us : t;
}

static uint64_t
mix64(uint64_t x)
{
	/* splitmix64's finaliser: full avalanche, cheap */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

void
perm_init(struct perm *p, uint64_t n, uint64_t seed)
{
	memset(p, 0, sizeof(*p));
	p->n = n;
	unsigned bits = 2;
	while (bits < 64 && (1ull << bits) < n)
		bits += 2;
	p->half_bits = bits / 2;
	p->half_mask = (1ull << p->half_bits) - 1;
	for (int i = 0; i < 2; i++) {
		uint64_t k = mix64(seed + 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1));
		memcpy(p->key + 8 * i, &k, 8);
	}
}

static uint64_t
feistel(const struct perm *p, uint64_t x)
{
	uint64_t l = x >> p->half_bits, r = x & p->half_mask, k[2];
	memcpy(k, p->key, sizeof(k));
	for (int round = 0; round < 4; round++) {
		uint64_t f = mix64(r ^ k[round & 1] ^ (uint64_t)round << 56) & p->half_mask;
		uint64_t nl = r;
		r = l ^ f;
		l = nl;
	}
	return l << p->half_bits | r;
}

uint64_t
perm_at(const struct perm *p, uint64_t i)
{
	/* cycle walking: the network permutes [0, 4^h); stepping until the value is
	 * below n keeps it a permutation of [0, n) (fewer than 4 steps on average) */
	uint64_t x = feistel(p, i);
	while (x >= p->n)
		x = feistel(p, x);
	return x;
}

int64_t
portscan_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
portscan_wall_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

uint64_t
portscan_random_seed(void)
{
	uint64_t s = 0;
	if (getrandom(&s, sizeof(s), 0) != sizeof(s))
		s = (uint64_t)portscan_now_us() ^ 0x5bd1e995u;
	return s ? s : 1;
}
