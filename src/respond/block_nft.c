/* The nftables adapter. The table, sets and rules are declared once through
 * libnftables (readable nft syntax, idempotent "add" commands, chains flushed and
 * refilled in the same transaction so a restart never opens a gap). Elements go
 * through libnftnl batches: libnftables re-reads every set's elements from the kernel
 * before each command (measured ~1 s per single add with 100,000 elements loaded),
 * which rules it out for a block that must land within milliseconds.
 *
 * Four sets in table inet <block.nft_table>: addr4/addr6 (hash, exact addresses,
 * the hot path) and net4/net6 (interval, networks). All carry per-element timeouts,
 * so the kernel lifts a block on time whether or not vigil is running. */
#include "respond/block.h"
#include "core/err.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/set.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define ELEMS_PER_MSG 512	/* keeps each netlink message well under 64 KiB */

enum { SET_ADDR4, SET_ADDR6, SET_NET4, SET_NET6, N_SETS };
static const char *const set_names[N_SETS] = { "addr4", "addr6", "net4", "net6" };

struct nft_adapter {
	const struct vg_logger *log;
	char table[64];
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	char *buf;		/* the batch being built */
	size_t cap, len;
	unsigned pending;	/* messages in the batch */
	struct nftnl_set *sets[N_SETS];	/* chunk being filled per set */
	size_t in_chunk[N_SETS];
	uint16_t chunk_type;
};

static int
set_of(const struct block_target *t)
{
	if (block_target_is_host(t))
		return t->family == 4 ? SET_ADDR4 : SET_ADDR6;
	return t->family == 4 ? SET_NET4 : SET_NET6;
}

static int
batch_reserve(struct nft_adapter *n, size_t more)
{
	if (n->len + more <= n->cap)
		return VG_OK;
	size_t cap = n->cap ? n->cap : 1 << 16;
	while (cap < n->len + more)
		cap *= 2;
	char *nb = realloc(n->buf, cap);
	if (!nb)
		return VG_ERR_NOMEM;
	n->buf = nb;
	n->cap = cap;
	return VG_OK;
}

static int
batch_start(struct nft_adapter *n)
{
	int r;
	n->len = 0;
	n->pending = 0;
	if ((r = batch_reserve(n, MNL_SOCKET_BUFFER_SIZE)) != VG_OK)
		return r;
	struct nlmsghdr *nlh = nftnl_batch_begin(n->buf, n->seq++);
	n->len += nlh->nlmsg_len;
	return VG_OK;
}

/* Appends one element message for set s to the batch. */
static int
batch_msg(struct nft_adapter *n, uint16_t type, uint16_t flags, struct nftnl_set *s)
{
	/* An element message is at most ELEMS_PER_MSG * ~80 bytes. */
	int r = batch_reserve(n, ELEMS_PER_MSG * 96 + 1024);
	if (r != VG_OK)
		return r;
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(n->buf + n->len, type, NFPROTO_INET, flags,
	    n->seq++);
	nftnl_set_elems_nlmsg_build_payload(nlh, s);
	n->len += NLMSG_ALIGN(nlh->nlmsg_len);
	n->pending++;
	return VG_OK;
}

static struct nftnl_set *
new_set(struct nft_adapter *n, int which)
{
	struct nftnl_set *s = nftnl_set_alloc();
	if (!s)
		return NULL;
	nftnl_set_set_str(s, NFTNL_SET_TABLE, n->table);
	nftnl_set_set_str(s, NFTNL_SET_NAME, set_names[which]);
	return s;
}

static int
flush_chunk(struct nft_adapter *n, int which)
{
	int r = VG_OK;
	if (!n->sets[which])
		return VG_OK;
	if (n->in_chunk[which])
		r = batch_msg(n, n->chunk_type,
		    n->chunk_type == NFT_MSG_NEWSETELEM ? NLM_F_CREATE : 0, n->sets[which]);
	nftnl_set_free(n->sets[which]);
	n->sets[which] = NULL;
	n->in_chunk[which] = 0;
	return r;
}

static int
flush_chunks(struct nft_adapter *n)
{
	int r = VG_OK;
	for (int i = 0; i < N_SETS; i++) {
		int r2 = flush_chunk(n, i);
		if (r == VG_OK)
			r = r2;
	}
	return r;
}

static int
chunk_add(struct nft_adapter *n, int which, const uint8_t *key, size_t klen, uint64_t timeout_ms,
    bool end)
{
	struct nftnl_set_elem *e;
	int r;

	if (n->in_chunk[which] >= ELEMS_PER_MSG && (r = flush_chunk(n, which)) != VG_OK)
		return r;
	if (!n->sets[which] && !(n->sets[which] = new_set(n, which)))
		return VG_ERR_NOMEM;
	if (!(e = nftnl_set_elem_alloc()))
		return VG_ERR_NOMEM;
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, key, (uint32_t)klen);
	if (end)
		nftnl_set_elem_set_u32(e, NFTNL_SET_ELEM_FLAGS, NFT_SET_ELEM_INTERVAL_END);
	else if (timeout_ms && n->chunk_type == NFT_MSG_NEWSETELEM)
		nftnl_set_elem_set_u64(e, NFTNL_SET_ELEM_TIMEOUT, timeout_ms);
	nftnl_set_elem_add(n->sets[which], e);
	n->in_chunk[which]++;
	return VG_OK;
}

/* The first address after network t; false when t reaches the top of the space
 * (then the interval is open-ended and has no end element). */
static bool
net_end(const struct block_target *t, uint8_t *out)
{
	size_t bytes = t->family == 4 ? 4 : 16;
	unsigned bit = t->prefix - 1u;	/* last network bit, 0-based from the top */
	memcpy(out, t->addr, bytes);
	for (int i = (int)(bit / 8); i >= 0; i--) {
		unsigned inc = (unsigned)i == bit / 8 ? 1u << (7 - bit % 8) : 1u;
		unsigned v = out[i] + inc;
		out[i] = (uint8_t)v;
		if (v <= 0xff)
			return true;
	}
	return false;
}

/* Queues t as elements of its set (start and end for a network). */
static int
queue_target(struct nft_adapter *n, const struct block_target *t, uint64_t timeout_ms)
{
	size_t klen = t->family == 4 ? 4 : 16;
	int which = set_of(t);
	uint8_t end[16];
	int r;

	if (t->prefix == 0)
		return VG_ERR_INVAL;	/* "everything" is not a block */
	if ((r = chunk_add(n, which, t->addr, klen, timeout_ms, false)) != VG_OK)
		return r;
	if (which >= SET_NET4 && net_end(t, end))
		r = chunk_add(n, which, end, klen, 0, true);
	return r;
}

/* Sends the batch. The kernel processes a netlink batch synchronously inside
 * sendmsg and applies it all or nothing, so once sendto returns, any error is
 * already queued on the socket: messages ask for no acknowledgement (a large
 * import would overflow the receive buffer with them) and the queue is drained
 * without waiting. The first error is kept as -errno. */
static int
batch_send(struct nft_adapter *n, int *kernel_errno)
{
	char rbuf[MNL_SOCKET_BUFFER_SIZE];
	int first_err = 0;
	int r;

	*kernel_errno = 0;
	if ((r = flush_chunks(n)) != VG_OK)
		return r;
	if (n->pending == 0)
		return VG_OK;
	if ((r = batch_reserve(n, 64)) != VG_OK)
		return r;
	struct nlmsghdr *nlh = nftnl_batch_end(n->buf + n->len, n->seq++);
	n->len += nlh->nlmsg_len;
	/* One transaction must fit the socket's send buffer; raise it as nft does. */
	int sz = (int)n->len + 4096;
	if (setsockopt(mnl_socket_get_fd(n->nl), SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) != 0)
		setsockopt(mnl_socket_get_fd(n->nl), SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if (mnl_socket_sendto(n->nl, n->buf, n->len) < 0) {
		*kernel_errno = errno;
		return VG_ERR_IO;
	}
	for (;;) {
		ssize_t got = recv(mnl_socket_get_fd(n->nl), rbuf, sizeof(rbuf), MSG_DONTWAIT);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK && !first_err)
				first_err = errno;
			break;
		}
		const struct nlmsghdr *h = (const struct nlmsghdr *)rbuf;
		int left = (int)got;
		for (; mnl_nlmsg_ok(h, left); h = mnl_nlmsg_next(h, &left)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
			if (h->nlmsg_type == NLMSG_ERROR && e->error && !first_err)
				first_err = -e->error;
		}
	}
	if (first_err) {
		*kernel_errno = first_err;
		return first_err == EEXIST || first_err == ENOTEMPTY ? VG_ERR_BUSY
		     : first_err == ENFILE || first_err == ENOSPC ? VG_ERR_LIMIT
		     : first_err == ENOENT ? VG_ERR_NOTFOUND : VG_ERR_IO;
	}
	return VG_OK;
}

static int
run_nft(const char *cmd, char *err, size_t err_size)
{
	struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	int r = VG_OK;

	if (!ctx)
		return VG_ERR_NOMEM;
	nft_ctx_buffer_output(ctx);
	nft_ctx_buffer_error(ctx);
	if (nft_run_cmd_from_buffer(ctx, cmd) != 0) {
		const char *msg = nft_ctx_get_error_buffer(ctx);
		size_t len = msg ? strcspn(msg, "\n") : 0;
		snprintf(err, err_size, "nftables: %.*s", (int)len, msg ? msg : "failed");
		r = VG_ERR_IO;
	}
	nft_ctx_free(ctx);
	return r;
}

static int
count_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(*(unsigned *)arg)++;
	return MNL_CB_OK;
}

/* Counts the objects of one kind (NFT_MSG_GETSET, NFT_MSG_GETRULE) in our table
 * with a plain netlink dump; -1 when the dump fails (no table). */
static int
count_objects(struct nft_adapter *n, uint16_t type)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint32_t seq = n->seq++;
	unsigned count = 0;
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(buf, type, NFPROTO_INET, NLM_F_DUMP, seq);
	int rc;

	mnl_attr_put_strz(nlh, NFTA_SET_TABLE, n->table);	/* NFTA_RULE_TABLE is the same: 1 */
	if (mnl_socket_sendto(n->nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		ssize_t got = mnl_socket_recvfrom(n->nl, buf, sizeof(buf));
		if (got <= 0)
			return -1;
		rc = mnl_cb_run(buf, (size_t)got, seq, n->portid, count_cb, &count);
	} while (rc > 0);
	return rc < 0 ? -1 : (int)count;
}

static void nft_close(void *impl);

static int
nft_open(const struct vg_config *cfg, const struct vg_logger *log, void **impl, char *err,
    size_t err_size)
{
	struct nft_adapter *n = calloc(1, sizeof(*n));
	char cmd[4096];
	const char *t = cfg->block.nft_table ? cfg->block.nft_table : "vigil";
	bool reject = cfg->block.action && strcmp(cfg->block.action, "reject") == 0;
	long long size = cfg->block.max_total;
	int r;

	*impl = NULL;
	if (!n)
		return VG_ERR_NOMEM;
	n->log = log;
	if (strlen(t) >= sizeof(n->table) || strspn(t, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != strlen(t)) {
		snprintf(err, err_size, "block.nft_table: '%s' is not a plain name", t);
		r = VG_ERR_CONFIG;
		goto fail;
	}
	snprintf(n->table, sizeof(n->table), "%s", t);
	/* Chains are flushed and refilled in one transaction: the drop rules are
	 * replaced atomically and the sets (the blocks) are left as they are. */
	int len = snprintf(cmd, sizeof(cmd),
	    "add table inet %1$s\n"
	    "add set inet %1$s addr4 { type ipv4_addr; flags timeout; size %2$lld; }\n"
	    "add set inet %1$s addr6 { type ipv6_addr; flags timeout; size %2$lld; }\n"
	    "add set inet %1$s net4 { type ipv4_addr; flags interval, timeout; size %2$lld; }\n"
	    "add set inet %1$s net6 { type ipv6_addr; flags interval, timeout; size %2$lld; }\n"
	    "add chain inet %1$s input { type filter hook input priority filter - 10; policy accept; }\n"
	    "add chain inet %1$s forward { type filter hook forward priority filter - 10; policy accept; }\n"
	    "flush chain inet %1$s input\n"
	    "flush chain inet %1$s forward\n",
	    n->table, size);
	for (int c = 0; c < 2; c++)
		for (int i = 0; i < N_SETS; i++) {
			const char *chain = c ? "forward" : "input";
			const char *match = i == SET_ADDR4 || i == SET_NET4 ? "ip" : "ip6";
			/* reject: a TCP client gets a reset at once, anything else an ICMP
			 * "administratively prohibited", instead of waiting for a timeout. */
			if (reject)
				len += snprintf(cmd + len, sizeof(cmd) - (size_t)len,
				    "add rule inet %1$s %2$s %3$s saddr @%4$s meta l4proto tcp counter "
				    "reject with tcp reset\n"
				    "add rule inet %1$s %2$s %3$s saddr @%4$s counter reject with icmpx "
				    "type admin-prohibited\n", n->table, chain, match, set_names[i]);
			else
				len += snprintf(cmd + len, sizeof(cmd) - (size_t)len,
				    "add rule inet %1$s %2$s %3$s saddr @%4$s counter drop\n",
				    n->table, chain, match, set_names[i]);
		}
	if (!(n->nl = mnl_socket_open(NETLINK_NETFILTER)) ||
	    mnl_socket_bind(n->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(err, err_size, "nftables: netlink socket: %s", strerror(errno));
		r = VG_ERR_IO;
		goto fail;
	}
	/* An error reply must not echo the (large) element message back. */
	int one = 1;
	setsockopt(mnl_socket_get_fd(n->nl), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	n->portid = mnl_socket_get_portid(n->nl);
	n->seq = (uint32_t)time(NULL);
	/* libnftables reads every element of every set before a command (seconds
	 * with large sets loaded), so the declaration only runs when the table is
	 * not already complete: 4 sets and 8 rules for drop, 16 for reject (the
	 * count also tells the two apart, so a changed block.action is applied). */
	if ((count_objects(n, NFT_MSG_GETSET) != N_SETS ||
	    count_objects(n, NFT_MSG_GETRULE) != (reject ? 16 : 8)) &&
	    (r = run_nft(cmd, err, err_size)) != VG_OK)
		goto fail;
	*impl = n;
	return VG_OK;
fail:
	nft_close(n);
	return r;
}

static void
nft_close(void *impl)
{
	struct nft_adapter *n = impl;
	if (!n)
		return;
	for (int i = 0; i < N_SETS; i++)
		if (n->sets[i])	/* nftnl_set_free does not take NULL */
			nftnl_set_free(n->sets[i]);
	if (n->nl)
		mnl_socket_close(n->nl);
	free(n->buf);
	free(n);
}

static int
report(struct nft_adapter *n, const char *what, int r, int kerr)
{
	if (r != VG_OK && r != VG_ERR_BUSY && r != VG_ERR_NOTFOUND)
		vg_warn(n->log, "nftables: %s in table inet %s failed: %s", what, n->table,
		    kerr ? strerror(kerr) : vg_strerror(r));
	return r;
}

static int
queue_flush_sets(struct nft_adapter *n)
{
	int r = VG_OK;
	for (int i = 0; i < N_SETS && r == VG_OK; i++) {
		struct nftnl_set *s = new_set(n, i);
		if (!s)
			return VG_ERR_NOMEM;
		/* DELSETELEM without elements empties the set. */
		r = batch_msg(n, NFT_MSG_DELSETELEM, 0, s);
		nftnl_set_free(s);
	}
	return r;
}

static int
queue_entries(struct nft_adapter *n, const struct block_entry *e, size_t count)
{
	int r = VG_OK;
	n->chunk_type = NFT_MSG_NEWSETELEM;
	for (size_t i = 0; i < count && r == VG_OK; i++)
		r = queue_target(n, &e[i].t, (uint64_t)e[i].timeout_ms);
	return r;
}

static int
nft_add(void *impl, const struct block_entry *e, size_t count)
{
	struct nft_adapter *n = impl;
	int kerr = 0, r;

	if ((r = batch_start(n)) == VG_OK && (r = queue_entries(n, e, count)) == VG_OK)
		r = batch_send(n, &kerr);
	return report(n, "add", r, kerr);
}

static int
nft_del(void *impl, const struct block_target *t, size_t count)
{
	struct nft_adapter *n = impl;
	int kerr = 0, r;

	if ((r = batch_start(n)) != VG_OK)
		return r;
	n->chunk_type = NFT_MSG_DELSETELEM;
	for (size_t i = 0; i < count && r == VG_OK; i++)
		r = queue_target(n, &t[i], 0);
	if (r == VG_OK)
		r = batch_send(n, &kerr);
	return report(n, "delete", r, kerr);
}

static int
nft_sync(void *impl, const struct block_entry *e, size_t count)
{
	struct nft_adapter *n = impl;
	int kerr = 0, r;

	if ((r = batch_start(n)) == VG_OK && (r = queue_flush_sets(n)) == VG_OK &&
	    (r = queue_entries(n, e, count)) == VG_OK)
		r = batch_send(n, &kerr);
	return report(n, "sync", r, kerr);
}

static int
nft_flush(void *impl)
{
	struct nft_adapter *n = impl;
	int kerr = 0, r;

	if ((r = batch_start(n)) == VG_OK && (r = queue_flush_sets(n)) == VG_OK)
		r = batch_send(n, &kerr);
	return report(n, "flush", r, kerr);
}

const struct block_adapter_ops block_adapter_nft = {
	.name = "nftables",
	.open = nft_open,
	.add = nft_add,
	.del = nft_del,
	.sync = nft_sync,
	.flush = nft_flush,
	.close = nft_close,
};
