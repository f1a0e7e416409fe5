/* What the website watch reads in a page: its title, visible text, links (with
 * whether the reader can see them), redirects written into the page and external
 * scripts. A small tolerant HTML scanner, not a browser: it follows what spam-link
 * (黑链) injections use to hide links (display:none, visibility:hidden, tiny fonts,
 * off-screen positions, zero sizes, hidden classes from <style> blocks). */
#ifndef VG_INV_SITEWATCH_PAGE_H
#define VG_INV_SITEWATCH_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#define PAGE_MAX_LINKS 2000
#define PAGE_MAX_TEXT (256 * 1024)
#define PAGE_MAX_ITEMS 100

struct page_link {
	char *href;
	char *text;	/* the anchor's text, whitespace collapsed, bounded */
	bool hidden;
};

struct page {
	char *title;		/* "" when none */
	char *text;		/* visible text, whitespace collapsed */
	size_t text_len;
	struct page_link *links;
	size_t nlinks;
	char *redirects[PAGE_MAX_ITEMS];	/* meta refresh targets, JS location snippets */
	size_t nredirects;
	char *scripts[PAGE_MAX_ITEMS];		/* <script src> values */
	size_t nscripts;
	size_t dropped;		/* links/items past the limits */
};

/* Scans html[0..len). 0 or VG_ERR_NOMEM; *p is freed with page_free (also after
 * a failure). Strings are NUL-terminated copies of page bytes (not escaped). */
int page_parse(const char *html, size_t len, struct page *p);
void page_free(struct page *p);

/* True when a CSS declaration block hides what it styles. */
bool page_style_hides(const char *style, size_t len);

/* Similarity 0..1 of two texts (shingles of 4 bytes in a bitmap, Jaccard). */
double page_similarity(const char *a, size_t alen, const char *b, size_t blen);

#endif
